using BenchmarkDotNet.Attributes;
using VaultGrpc.Benchmarks.Remote;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// CancelOperation over gRPC against the fake in another process: the facade (GrpcOnly, Auto) and the
/// new public pieces (the generated stub on <see cref="VaultGrpcChannel"/>, and over
/// <see cref="Invokers.Fallback.FallbackCallInvoker"/>) against the baseline, the generated stub on a
/// plain GrpcChannel sending the facade's two headers. Issue 9's target: facade ≥ 0.97 × baseline in
/// throughput (Ratio ≤ 1.03) and ≤ +256 bytes per call.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RemoteServerJobConfig))]
public class GrpcCancelVsRawStubBenchmarks : RemoteCallBenchmarks
{
    private const string Name = BenchOperations.CancelName;

    /// <summary>Also 256 callers (one call each, all in flight at once): issue 9 asks that ratios move ≤ 0.05 from 64 to 256.</summary>
    public override IEnumerable<int> CallerCounts => [1, 64, 256];

    [GlobalSetup(Target = nameof(RawStub_SameHeaders))]
    public Task SetUpRawStub() => SetUpAsync(
        () =>
        {
            Operations.OperationsClient stub = PlainStub();
            Call = () => stub.CancelOperationAsync(new CancelOperationRequest { Name = Name }, SameHeaders.For(Name)).ResponseAsync;
        },
        ExpectSameHeadersOverGrpc);

    [GlobalSetup(Target = nameof(RawStub_NoHeaders))]
    public Task SetUpRawStubNoHeaders() => SetUpAsync(
        () =>
        {
            Operations.OperationsClient stub = PlainStub();
            Call = () => stub.CancelOperationAsync(new CancelOperationRequest { Name = Name }).ResponseAsync;
        },
        () => Fake.ExpectLastCall("last Grpc Cancel 200 api-client=- request-params=-"));

    [GlobalSetup(Target = nameof(RawStub_SameHeadersAndDeadline))]
    public Task SetUpRawStubDeadline() => SetUpAsync(
        () =>
        {
            Operations.OperationsClient stub = PlainStub();
            Call = () => stub.CancelOperationAsync(new CancelOperationRequest { Name = Name }, SameHeaders.For(Name), DateTime.UtcNow.AddSeconds(10)).ResponseAsync;
        },
        ExpectSameHeadersOverGrpc);

    [GlobalSetup(Target = nameof(Facade_GrpcOnly))]
    public Task SetUpFacadeGrpcOnly() => SetUpFacade(TransportMode.GrpcOnly);

    [GlobalSetup(Target = nameof(Facade_GrpcOnly_NoDeadline))]
    public Task SetUpFacadeGrpcOnlyNoDeadline() => SetUpAsync(
        () =>
        {
            // No default timeout: the facade's own cost, apart from the deadline Grpc.Net.Client enforces.
            VaultOperationsClientOptions options = ClientOptions(TransportMode.GrpcOnly);
            options.DefaultTimeout = Timeout.InfiniteTimeSpan;
            VaultOperationsClient client = Own(VaultOperationsClient.Create(options));
            Call = () => client.CancelAsync(Name);
        },
        ExpectSameHeadersOverGrpc);

    [GlobalSetup(Target = nameof(Facade_Auto))]
    public Task SetUpFacadeAuto() => SetUpFacade(TransportMode.Auto);

    [GlobalSetup(Target = nameof(Stub_VaultGrpcChannel))]
    public Task SetUpStubOnVaultChannel() => SetUpAsync(
        () =>
        {
            Operations.OperationsClient stub = StubOnVaultChannel();
            Call = () => stub.CancelOperationAsync(new CancelOperationRequest { Name = Name }, SameHeaders.For(Name)).ResponseAsync;
        },
        ExpectSameHeadersOverGrpc);

    [GlobalSetup(Target = nameof(Stub_FallbackInvoker))]
    public Task SetUpStubOnFallbackInvoker() => SetUpAsync(
        () =>
        {
            Operations.OperationsClient stub = StubOnFallbackInvoker();
            Call = () => stub.CancelOperationAsync(new CancelOperationRequest { Name = Name }, SameHeaders.For(Name)).ResponseAsync;
        },
        ExpectSameHeadersOverGrpc);

    [Benchmark(Baseline = true, OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task RawStub_SameHeaders() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task RawStub_NoHeaders() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task RawStub_SameHeadersAndDeadline() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Facade_GrpcOnly() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Facade_GrpcOnly_NoDeadline() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Facade_Auto() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Stub_VaultGrpcChannel() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Stub_FallbackInvoker() => RunCallsAsync();

    private Task SetUpFacade(TransportMode mode) => SetUpAsync(
        () =>
        {
            VaultOperationsClient client = Facade(mode);
            Call = () => client.CancelAsync(Name);
        },
        ExpectSameHeadersOverGrpc);

    private void ExpectSameHeadersOverGrpc() => Fake.ExpectLastCall("last Grpc Cancel 200 ", SameHeaders.JournalText(Name));
}
