using BenchmarkDotNet.Attributes;
using VaultGrpc.Benchmarks.Remote;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// GetOperation over gRPC of a done export (about 2 KB: metadata and response in <c>Any</c>s, which
/// gRPC passes as bytes whether the client knows their types or not) against the fake in another
/// process; the baseline is the generated stub on a plain GrpcChannel sending the facade's two headers.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RemoteServerJobConfig))]
public class GrpcGetVsRawStubBenchmarks : RemoteCallBenchmarks
{
    private const string Name = BenchOperations.GetName;

    [GlobalSetup(Target = nameof(RawStub_SameHeaders))]
    public Task SetUpRawStub() => SetUpStub(PlainStub);

    [GlobalSetup(Target = nameof(Facade_GrpcOnly))]
    public Task SetUpFacadeGrpcOnly() => SetUpFacade(TransportMode.GrpcOnly);

    [GlobalSetup(Target = nameof(Facade_Auto))]
    public Task SetUpFacadeAuto() => SetUpFacade(TransportMode.Auto);

    [GlobalSetup(Target = nameof(Stub_FallbackInvoker))]
    public Task SetUpStubOnFallbackInvoker() => SetUpStub(StubOnFallbackInvoker);

    [Benchmark(Baseline = true, OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task RawStub_SameHeaders() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Facade_GrpcOnly() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Facade_Auto() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Stub_FallbackInvoker() => RunCallsAsync();

    private Task SetUpStub(Func<Operations.OperationsClient> create)
    {
        Operations.OperationsClient? stub = null;
        return SetUpAsync(
            () =>
            {
                stub = create();
                Call = () => stub.GetOperationAsync(new GetOperationRequest { Name = Name }, SameHeaders.For(Name)).ResponseAsync;
            },
            () =>
            {
                ExpectSameHeadersOverGrpc();
                ExpectExport(stub!.GetOperation(new GetOperationRequest { Name = Name }, SameHeaders.For(Name)));
            });
    }

    private Task SetUpFacade(TransportMode mode)
    {
        VaultOperationsClient? client = null;
        return SetUpAsync(
            () =>
            {
                client = Facade(mode);
                Call = () => client.GetAsync(Name);
            },
            () =>
            {
                ExpectSameHeadersOverGrpc();
                ExpectExport(client!.GetAsync(Name).GetAwaiter().GetResult().Value);
            });
    }

    private void ExpectSameHeadersOverGrpc() => Fake.ExpectLastCall("last Grpc Get 200 ", SameHeaders.JournalText(Name));

    private static void ExpectExport(Operation operation)
    {
        if (!operation.Done || !operation.Metadata.Is(Protos.ExportMetadata.Descriptor) || operation.CalculateSize() < 1024)
        {
            throw new InvalidOperationException($"Not the seeded export: {operation}");
        }
    }
}
