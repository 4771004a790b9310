using BenchmarkDotNet.Attributes;
using VaultGrpc.Benchmarks.Remote;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// CancelOperation over REST (<c>POST /v1/{name}:cancel</c>, empty body) against the fake in another
/// process: the facade in RestOnly mode and the generated stub over <see cref="RestCallInvoker"/> (with its
/// default handler, and with a plain handler without automatic decompression, as the raw client's)
/// against the baseline, a raw HttpClient request of the same route with the same headers. Issue 9's
/// target: facade ≥ 0.95 × baseline in throughput (Ratio ≤ 1.05) and ≤ +512 bytes per call.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RemoteServerJobConfig))]
public class RestCancelVsRawHttpBenchmarks : RemoteCallBenchmarks
{
    private const string Name = BenchOperations.CancelName;

    [GlobalSetup(Target = nameof(RawHttpClient))]
    public Task SetUpRawHttpClient() => SetUpAsync(
        () =>
        {
            RawRest raw = Own(new RawRest(Fake.RestAddress));
            Call = () => raw.CancelAsync(Name);
        },
        ExpectOverRest);

    [GlobalSetup(Target = nameof(Facade_RestOnly))]
    public Task SetUpFacadeRestOnly() => SetUpAsync(
        () =>
        {
            VaultOperationsClient client = Facade(TransportMode.RestOnly);
            Call = () => client.CancelAsync(Name);
        },
        ExpectOverRest);

    [GlobalSetup(Target = nameof(Stub_RestCallInvoker))]
    public Task SetUpStubOnRestInvoker() => SetUpAsync(
        () =>
        {
            var stub = new Operations.OperationsClient(RestInvoker());
            Call = () => stub.CancelOperationAsync(new CancelOperationRequest { Name = Name }, SameHeaders.For(Name)).ResponseAsync;
        },
        () => Fake.ExpectLastCall("last Rest Cancel 200 "));

    [GlobalSetup(Target = nameof(Stub_RestCallInvoker_DecompressingHandler))]
    public Task SetUpStubOnRestInvokerWithDecompressingHandler() => SetUpAsync(
        () =>
        {
            // A caller's handler with automatic decompression (the invoker's own default until
            // it decoded answers itself): what SocketsHttpHandler's decompression costs per call.
            var options = new RestCallInvokerOptions
            {
                Services = { OperationsService },
                HttpHandler = Own(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.All }),
            };
            var stub = new Operations.OperationsClient(Own(new RestCallInvoker(Fake.RestAddress, options)));
            Call = () => stub.CancelOperationAsync(new CancelOperationRequest { Name = Name }, SameHeaders.For(Name)).ResponseAsync;
        },
        () => Fake.ExpectLastCall("last Rest Cancel 200 "));

    [Benchmark(Baseline = true, OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task RawHttpClient() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Facade_RestOnly() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Stub_RestCallInvoker() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Stub_RestCallInvoker_DecompressingHandler() => RunCallsAsync();

    private void ExpectOverRest() => Fake.ExpectLastCall("last Rest Cancel 200 ", $"api-client={SameHeaders.ApiClient} ");
}
