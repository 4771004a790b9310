using VaultGrpc.Testing;

namespace VaultGrpc.Tests.ClientBehaviour;

/// <summary>Starts fakes and builds real clients on them, with retry delays short enough for tests.</summary>
internal static class FakeClients
{
    /// <summary>The bound on every await in these tests.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static TheoryData<FakeHosting> Hostings => new() { FakeHosting.InMemory, FakeHosting.Sockets };

    public static Task<FakeOperationsServer> StartAsync(FakeHosting hosting, Action<FakeServerOptions>? configure = null)
        => FakeOperationsServer.StartAsync(o =>
        {
            o.Hosting = hosting;
            configure?.Invoke(o);
        }).WaitAsync(Bound);

    /// <summary>The fake's client options in <paramref name="mode"/>, with the default retry policy but millisecond backoff.</summary>
    public static VaultOperationsClientOptions Options(FakeOperationsServer fake, TransportMode mode = TransportMode.Auto)
    {
        VaultOperationsClientOptions options = fake.CreateClientOptions();
        options.TransportMode = mode;
        options.Retry.InitialBackoff = TimeSpan.FromMilliseconds(2);
        options.Retry.MaxBackoff = TimeSpan.FromMilliseconds(10);
        return options;
    }

    public static VaultOperationsClient Create(FakeOperationsServer fake, TransportMode mode = TransportMode.Auto)
        => VaultOperationsClient.Create(Options(fake, mode));

    /// <summary>
    /// A client that has already made one call over gRPC (the journal is cleared after it), so that
    /// connecting and JIT do not eat a short timeout on a loaded machine.
    /// </summary>
    public static async Task<VaultOperationsClient> CreateWarmAsync(FakeOperationsServer fake, string existingName, TransportMode mode = TransportMode.Auto)
    {
        VaultOperationsClient client = Create(fake, mode);
        await client.GetAsync(existingName).WaitAsync(Bound);
        fake.Journal.Clear();
        return client;
    }

    /// <summary>Waits (bounded) until the fake's journal has <paramref name="count"/> entries.</summary>
    public static async Task WaitJournalAsync(FakeOperationsServer fake, int count)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (fake.Journal.Count() < count)
        {
            await Task.Delay(5, bound.Token);
        }
    }

    /// <summary>Waits (bounded) until the fake has finished with <paramref name="entry"/>, e.g. seen the client's reset.</summary>
    public static async Task WaitCompletedAsync(JournalEntry entry)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (!entry.Completed)
        {
            await Task.Delay(5, bound.Token);
        }
    }
}
