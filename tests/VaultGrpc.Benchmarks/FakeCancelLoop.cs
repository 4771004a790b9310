using VaultGrpc.Testing;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// A client that cancels one seeded operation over and over against an in-memory fake. After the
/// first call the operation is done, and cancelling a done operation is a no-op, so every call does
/// the same work.
/// </summary>
internal sealed class FakeCancelLoop : IAsyncDisposable
{
    public const string OperationName = "operations/bench-cancel";

    // The fake journals every request (up to its capacity, then dropping the oldest); clearing it
    // now and then keeps that bookkeeping small and out of the numbers.
    private const int CallsBetweenJournalClears = 1024;

    private readonly FakeOperationsServer _fake;
    private int _calls;

    private FakeCancelLoop(FakeOperationsServer fake, VaultOperationsClient client)
    {
        _fake = fake;
        Client = client;
    }

    public VaultOperationsClient Client { get; }

    public FakeOperationsServer Fake => _fake;

    public static async Task<FakeCancelLoop> StartAsync(GrpcServingMode grpcMode, Action<VaultOperationsClientOptions> configureClient)
    {
        FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.GrpcMode = grpcMode);
        fake.Store.AddRunning(OperationName);
        VaultOperationsClientOptions options = fake.CreateClientOptions();
        configureClient(options);
        return new FakeCancelLoop(fake, VaultOperationsClient.Create(options));
    }

    public Task<VaultCallInfo> CancelAsync()
    {
        if (++_calls % CallsBetweenJournalClears == 0)
        {
            _fake.Journal.Clear();
        }

        return Client.CancelAsync(OperationName);
    }

    /// <summary>Makes one call and checks it went the way the benchmark claims, so a wrong setup fails loudly instead of measuring something else.</summary>
    public async Task ExpectAsync(Transport transport, bool fellBack)
    {
        VaultCallInfo info = await CancelAsync();
        if (info.Transport != transport || (info.Fallback != FallbackReason.None) != fellBack)
        {
            throw new InvalidOperationException($"Expected a call over {transport} (fell back: {fellBack}), got {info}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _fake.DisposeAsync();
    }
}
