using BenchmarkDotNet.Attributes;
using VaultGrpc.Benchmarks.Remote;
using VaultGrpc.Testing;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// CancelOperation when the fake in another process answers every gRPC call UNIMPLEMENTED: the facade
/// in Auto mode within its sticky window (it learnt from its first call, made in setup, and goes
/// straight to REST) against the baseline, the facade in RestOnly mode; the raw HttpClient request of
/// the same route for reference. Issue 9's target: Auto in the sticky window ≥ 0.97 × RestOnly.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RemoteServerJobConfig))]
public class StickyRestVsRestOnlyBenchmarks : RemoteCallBenchmarks
{
    private const string Name = BenchOperations.CancelName;

    [GlobalSetup(Target = nameof(Facade_RestOnly))]
    public Task SetUpFacadeRestOnly() => SetUpFacade(TransportMode.RestOnly, FallbackReason.None);

    [GlobalSetup(Target = nameof(Facade_Auto_StickyWindow))]
    public Task SetUpFacadeAutoSticky() => SetUpFacade(TransportMode.Auto, FallbackReason.StickyRest);

    [GlobalSetup(Target = nameof(RawHttpClient))]
    public Task SetUpRawHttpClient() => SetUpAsync(
        () =>
        {
            Fake.SetGrpcMode(GrpcServingMode.Unimplemented);
            RawRest raw = Own(new RawRest(Fake.RestAddress));
            Call = () => raw.CancelAsync(Name);
        },
        () => Fake.ExpectLastCall("last Rest Cancel 200 "));

    [Benchmark(Baseline = true, OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Facade_RestOnly() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task Facade_Auto_StickyWindow() => RunCallsAsync();

    [Benchmark(OperationsPerInvoke = ConcurrentCalls.PerInvoke)]
    public Task RawHttpClient() => RunCallsAsync();

    /// <summary>The setup's call (Auto's learning call) is made before the check, which makes one more and reads how it went.</summary>
    private Task SetUpFacade(TransportMode mode, FallbackReason expected)
    {
        VaultOperationsClient? client = null;
        return SetUpAsync(
            () =>
            {
                Fake.SetGrpcMode(GrpcServingMode.Unimplemented);
                client = Facade(mode);
                Call = () => client.CancelAsync(Name);
            },
            () =>
            {
                VaultCallInfo info = client!.CancelAsync(Name).GetAwaiter().GetResult();
                if (info.Transport != Transport.Rest || info.Fallback != expected)
                {
                    throw new InvalidOperationException($"The setup is not what the case claims: expected REST with fallback {expected}, got {info}.");
                }

                Fake.ExpectLastCall("last Rest Cancel 200 ", $"api-client={SameHeaders.ApiClient} ");
            });
    }
}
