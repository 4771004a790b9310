using BenchmarkDotNet.Attributes;
using Grpc.Net.Client;
using VaultGrpc.Invokers.Fallback;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Benchmarks.Remote;

/// <summary>
/// What the raw-call classes share: the fake in another process (one per case, started in the case's
/// GlobalSetup and killed in GlobalCleanup or when the setup fails), the caller count, and the clients
/// each case builds on it. A case's setup stores the one call it measures in <see cref="Call"/>, makes
/// it once and checks on the fake's journal that it went where the case claims.
/// </summary>
public abstract class RemoteCallBenchmarks
{
    private readonly List<IDisposable> _owned = [];
    private RemoteFake? _fake;

    /// <summary>Calls in flight: one caller after another, or <see cref="CallerCounts"/>' others at once.</summary>
    [ParamsSource(nameof(CallerCounts))]
    public int Callers { get; set; }

    /// <summary>The values of <see cref="Callers"/>; each divides <see cref="ConcurrentCalls.PerInvoke"/>.</summary>
    public virtual IEnumerable<int> CallerCounts => [1, 64];

    internal RemoteFake Fake => _fake ?? throw new InvalidOperationException("No fake: the case's setup did not run.");

    /// <summary>The call the case measures, set by its setup.</summary>
    private protected Func<Task> Call { get; set; } = () => throw new InvalidOperationException("The case's setup did not set its call.");

    private protected static Google.Protobuf.Reflection.ServiceDescriptor OperationsService => OperationsReflection.Descriptor.Services[0];

    [GlobalCleanup]
    public void CleanUp()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
        _fake?.Dispose();
        _fake = null;
    }

    /// <summary><see cref="ConcurrentCalls.PerInvoke"/> calls of <see cref="Call"/> by <see cref="Callers"/> callers.</summary>
    private protected Task RunCallsAsync() => ConcurrentCalls.RunAsync(Callers, Call);

    /// <summary>Starts the fake, runs <paramref name="setUp"/>, makes the case's call once, then runs <paramref name="check"/>; cleans up if any of it fails.</summary>
    private protected async Task SetUpAsync(Action setUp, Action check)
    {
        try
        {
            SharedArrayPoolSizing.EnsureKeeps(Callers);
            _fake = RemoteFake.Start();
            setUp();
            await Call();
            check();
        }
        catch
        {
            CleanUp();
            throw;
        }
    }

    private protected T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>The options a user of the fake would give the facade: its two addresses, no credentials.</summary>
    private protected VaultOperationsClientOptions ClientOptions(TransportMode mode, bool knowExportTypes = false)
    {
        var options = new VaultOperationsClientOptions
        {
            Endpoint = Fake.GrpcAddress,
            RestEndpoint = Fake.RestAddress,
            Credentials = VaultCredentials.None,
            TransportMode = mode,
        };
        if (knowExportTypes)
        {
            foreach (Google.Protobuf.Reflection.MessageDescriptor type in BenchOperations.ExportTypes)
            {
                options.AnyTypes.Add(type);
            }
        }

        return options;
    }

    private protected VaultOperationsClient Facade(TransportMode mode, bool knowExportTypes = false) =>
        Own(VaultOperationsClient.Create(ClientOptions(mode, knowExportTypes)));

    /// <summary>The generated stub on a plain <see cref="GrpcChannel"/>, as a user without VaultGrpc would build it.</summary>
    private protected Operations.OperationsClient PlainStub() =>
        new(Own(GrpcChannel.ForAddress(Fake.GrpcAddress)));

    /// <summary>The generated stub on the client's own channel (<see cref="VaultGrpcChannel.Create"/>: connection budget handler and all).</summary>
    private protected Operations.OperationsClient StubOnVaultChannel() =>
        new(Own(VaultGrpcChannel.Create(ClientOptions(TransportMode.GrpcOnly))));

    private protected RestCallInvoker RestInvoker(bool knowExportTypes = false)
    {
        var options = new RestCallInvokerOptions { Services = { OperationsService } };
        if (knowExportTypes)
        {
            options.TypeRegistry = BenchOperations.Registry;
        }

        return Own(new RestCallInvoker(Fake.RestAddress, options));
    }

    /// <summary>The generated stub over <c>new FallbackCallInvoker(VaultGrpcChannel's invoker, RestCallInvoker)</c>.</summary>
    private protected Operations.OperationsClient StubOnFallbackInvoker()
    {
        GrpcChannel channel = Own(VaultGrpcChannel.Create(ClientOptions(TransportMode.GrpcOnly)));
        var invoker = new FallbackCallInvoker(channel.CreateCallInvoker(), RestInvoker(), new FallbackCallInvokerOptions { Services = { OperationsService } });
        return new Operations.OperationsClient(invoker);
    }
}
