using Microsoft.Extensions.Time.Testing;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Lifecycle;

/// <summary>The two routes a lifecycle test runs over: gRPC served, or gRPC not served so that REST serves (fallback).</summary>
public enum LifecycleRoute
{
    Grpc,
    RestFallback,
}

/// <summary>An in-memory fake and a real client sharing one fake clock, over the route a test names.</summary>
internal sealed class LifecycleBed : IAsyncDisposable
{
    /// <summary>The bound on every await: catches hangs, never measures speed.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private LifecycleBed(FakeTimeProvider time, FakeOperationsServer fake, VaultOperationsClient client)
    {
        Time = time;
        Fake = fake;
        Client = client;
    }

    public FakeTimeProvider Time { get; }

    public FakeOperationsServer Fake { get; }

    public VaultOperationsClient Client { get; }

    public static async Task<LifecycleBed> StartAsync(LifecycleRoute route, Action<FakeServerOptions>? configure = null)
    {
        // Starts at the real now: deadlines reach gRPC as instants.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o =>
        {
            o.TimeProvider = time;
            configure?.Invoke(o);
        }).WaitAsync(Bound);
        if (route == LifecycleRoute.RestFallback)
        {
            fake.GrpcMode = GrpcServingMode.Unimplemented;
        }

        VaultOperationsClientOptions options = fake.CreateClientOptions();
        options.TimeProvider = time;
        // Fake time runs ahead in steps while a call is in flight: a call's own deadline must not be what ends it.
        options.DefaultTimeout = TimeSpan.FromHours(1);
        return new LifecycleBed(time, fake, VaultOperationsClient.Create(options));
    }

    /// <summary>Moves fake time in small steps until <paramref name="task"/> ends (at most <paramref name="maxAdvance"/>).</summary>
    public async Task<T> DriveAsync<T>(Task<T> task, TimeSpan? maxAdvance = null)
    {
        TimeSpan step = TimeSpan.FromMilliseconds(100);
        TimeSpan limit = maxAdvance ?? TimeSpan.FromMinutes(10);
        TimeSpan advanced = TimeSpan.Zero;
        while (!task.IsCompleted && advanced < limit)
        {
            await Task.Delay(1);
            if (!task.IsCompleted)
            {
                Time.Advance(step);
                advanced += step;
            }
        }

        return await task.WaitAsync(Bound);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
