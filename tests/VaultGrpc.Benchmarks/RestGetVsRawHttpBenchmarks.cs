using BenchmarkDotNet.Attributes;
using VaultGrpc.Benchmarks.Protos;
using VaultGrpc.Benchmarks.Remote;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// GetOperation over REST (<c>GET /v1/{name}</c>) of a done export, about 3 KB of JSON with metadata and
/// response in <c>Any</c>s, against the fake in another process. <see cref="AnyTypes"/>: <c>known</c>, the
/// facade and the REST invoker are given the export types; <c>unknown</c>, they are not (the call must
/// still succeed, the <c>Any</c>s kept readable as JSON). The baseline, a raw HttpClient GET parsed by
/// <c>JsonParser</c>, always has them (it cannot parse the body otherwise).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RemoteServerJobConfig))]
public class RestGetVsRawHttpBenchmarks : RemoteCallBenchmarks
{
    private const string Name = BenchOperations.GetName;

    [Params("known", "unknown")]
    public string AnyTypes { get; set; } = "known";

    private bool KnowTypes => AnyTypes == "known";

    [GlobalSetup(Target = nameof(RawHttpClient_JsonParser))]
    public Task SetUpRawHttpClient()
    {
        RawRest? raw = null;
        return SetUpAsync(
            () =>
            {
                raw = Own(new RawRest(Fake.RestAddress));
                Call = () => raw.GetAsync(Name);
            },
            () => Expect(raw!.GetAsync(Name).GetAwaiter().GetResult(), typesKnown: true));
    }

    [GlobalSetup(Target = nameof(Facade_RestOnly))]
    public Task SetUpFacadeRestOnly()
    {
        VaultOperationsClient? client = null;
        return SetUpAsync(
            () =>
            {
                client = Facade(TransportMode.RestOnly, KnowTypes);
                Call = () => client.GetAsync(Name);
            },
            () => Expect(client!.GetAsync(Name).GetAwaiter().GetResult().Value, KnowTypes));
    }

    [GlobalSetup(Target = nameof(Stub_RestCallInvoker))]
    public Task SetUpStubOnRestInvoker()
    {
        Operations.OperationsClient? stub = null;
        return SetUpAsync(
            () =>
            {
                stub = new Operations.OperationsClient(RestInvoker(KnowTypes));
                Call = () => stub.GetOperationAsync(new GetOperationRequest { Name = Name }, SameHeaders.For(Name)).ResponseAsync;
            },
            () => Expect(stub!.GetOperation(new GetOperationRequest { Name = Name }, SameHeaders.For(Name)), KnowTypes));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task RawHttpClient_JsonParser() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Facade_RestOnly() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Stub_RestCallInvoker() => RunCallsAsync();

    /// <summary>Over REST, and the metadata decoded as its own type exactly when the client knows it.</summary>
    private void Expect(Operation operation, bool typesKnown)
    {
        Fake.ExpectLastCall("last Rest Get 200 ");
        if (!operation.Done || operation.Name != Name || operation.Metadata.Is(ExportMetadata.Descriptor) != typesKnown)
        {
            throw new InvalidOperationException($"Not the seeded export as a client that {(typesKnown ? "knows" : "does not know")} its types reads it: {operation}");
        }
    }
}
