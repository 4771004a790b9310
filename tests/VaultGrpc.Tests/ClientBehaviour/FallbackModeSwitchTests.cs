using Microsoft.Extensions.Time.Testing;
using VaultGrpc.Testing;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

namespace VaultGrpc.Tests.ClientBehaviour;

/// <summary>
/// A running fake whose gRPC side is switched serve → UNIMPLEMENTED → serve, and one client living
/// through it: it falls back, sticks to REST for the window (the client's TimeProvider drives it,
/// so a fake clock makes the window exact), probes gRPC with one call, and returns to gRPC.
/// </summary>
public sealed class FallbackModeSwitchTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task CancelAsync_GrpcSwitchedOffAndOn_FallsBackSticksProbesOnceAndReturns(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, o => o.SeedRunningOperations = 20);
        FakeTimeProvider time = StartClock();
        await using VaultOperationsClient client = CreateClient(fake, time);

        // gRPC serves.
        VaultCallInfo served = await client.CancelAsync(Seed(0)).WaitAsync(Bound);
        Assert.Equal((Transport.Grpc, FallbackReason.None), (served.Transport, served.Fallback));

        // gRPC stops serving: one gRPC attempt, then REST, and the window opens.
        fake.GrpcMode = GrpcServingMode.Unimplemented;
        fake.Journal.Clear();
        VaultCallInfo fellBack = await client.CancelAsync(Seed(1)).WaitAsync(Bound);
        Assert.Equal((Transport.Rest, FallbackReason.GrpcUnimplemented), (fellBack.Transport, fellBack.Fallback));
        Assert.Equal((1, 1), (fake.Journal.Count(Transport.Grpc), fake.Journal.Count(Transport.Rest)));
        Assert.Equal(time.GetUtcNow() + Window, client.TransportStatus.RestStickyUntil);
        Assert.Equal(FallbackReason.GrpcUnimplemented, client.TransportStatus.LastFallback);

        // Inside the window: REST only, even once gRPC serves again.
        fake.Journal.Clear();
        for (int i = 2; i < 7; i++)
        {
            if (i == 5)
            {
                fake.GrpcMode = GrpcServingMode.Serve;
            }

            time.Advance(TimeSpan.FromSeconds(10));
            VaultCallInfo sticky = await client.CancelAsync(Seed(i)).WaitAsync(Bound);
            Assert.Equal((Transport.Rest, FallbackReason.StickyRest), (sticky.Transport, sticky.Fallback));
        }

        Assert.Equal(0, fake.Journal.Count(Transport.Grpc));
        Assert.Equal(5, fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));

        // The window runs out: this call probes gRPC, which serves, so the window closes.
        time.Advance(TimeSpan.FromSeconds(11));
        fake.Journal.Clear();
        VaultCallInfo probe = await client.CancelAsync(Seed(7)).WaitAsync(Bound);
        Assert.Equal((Transport.Grpc, FallbackReason.None), (probe.Transport, probe.Fallback));
        Assert.Null(client.TransportStatus.RestStickyUntil);
        VaultCallInfo back = await client.CancelAsync(Seed(8)).WaitAsync(Bound);
        Assert.Equal((Transport.Grpc, FallbackReason.None), (back.Transport, back.Fallback));
        Assert.Equal((2, 0), (fake.Journal.Count(Transport.Grpc, OperationsMethod.Cancel), fake.Journal.Count(Transport.Rest)));
        Assert.All(Enumerable.Range(0, 9), i => Assert.Equal(1, fake.Store.Find(Seed(i))!.Error.Code));
    }

    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task CancelAsync_ProbeWhileGrpcStillOff_FallsBackAndRenewsWindow(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, o =>
        {
            o.GrpcMode = GrpcServingMode.Unimplemented;
            o.SeedRunningOperations = 3;
        });
        FakeTimeProvider time = StartClock();
        await using VaultOperationsClient client = CreateClient(fake, time);
        await client.CancelAsync(Seed(0)).WaitAsync(Bound);
        time.Advance(Window);
        fake.Journal.Clear();

        VaultCallInfo probe = await client.CancelAsync(Seed(1)).WaitAsync(Bound);
        VaultCallInfo after = await client.CancelAsync(Seed(2)).WaitAsync(Bound);

        Assert.Equal((Transport.Rest, FallbackReason.GrpcUnimplemented), (probe.Transport, probe.Fallback));
        Assert.Equal((Transport.Rest, FallbackReason.StickyRest), (after.Transport, after.Fallback));
        Assert.Equal(time.GetUtcNow() + Window, client.TransportStatus.RestStickyUntil);
        Assert.Equal((1, 2), (fake.Journal.Count(Transport.Grpc), fake.Journal.Count(Transport.Rest)));
    }

    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task CancelAsync_HundredConcurrentAfterWindowRanOut_ExactlyOneGrpcProbe(FakeHosting hosting)
    {
        const int Wave = 100;
        await using FakeOperationsServer fake = await StartAsync(hosting, o =>
        {
            o.GrpcMode = GrpcServingMode.Unimplemented;
            o.SeedRunningOperations = Wave + 1;
        });
        FakeTimeProvider time = StartClock();
        await using VaultOperationsClient client = CreateClient(fake, time);
        await client.CancelAsync(Seed(0)).WaitAsync(Bound);
        time.Advance(Window + TimeSpan.FromSeconds(1));
        fake.Journal.Clear();

        VaultCallInfo[] wave = await Task.WhenAll(Enumerable.Range(1, Wave).Select(i => client.CancelAsync(Seed(i)))).WaitAsync(Bound);

        // One call won the probe (and fell back, renewing the window); every other one went straight to REST.
        JournalEntry probe = Assert.Single(fake.Journal.Where(Transport.Grpc));
        Assert.Equal(OperationsMethod.Cancel, probe.Method);
        Assert.Equal(Wave, fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));
        Assert.Single(wave, c => c.Fallback == FallbackReason.GrpcUnimplemented);
        Assert.Equal(Wave - 1, wave.Count(c => c.Fallback == FallbackReason.StickyRest));
        Assert.All(wave, c => Assert.Equal(Transport.Rest, c.Transport));
        Assert.Equal(Wave + 1, fake.Store.Snapshot().Count(o => o.Done));
    }

    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task CancelAsync_HundredConcurrentAfterGrpcCameBack_OneProbeThenGrpc(FakeHosting hosting)
    {
        const int Wave = 100;
        await using FakeOperationsServer fake = await StartAsync(hosting, o =>
        {
            o.GrpcMode = GrpcServingMode.Unimplemented;
            o.SeedRunningOperations = Wave + 2;
        });
        FakeTimeProvider time = StartClock();
        await using VaultOperationsClient client = CreateClient(fake, time);
        await client.CancelAsync(Seed(0)).WaitAsync(Bound);
        fake.GrpcMode = GrpcServingMode.Serve;
        time.Advance(Window + TimeSpan.FromSeconds(1));
        fake.Journal.Clear();

        VaultCallInfo[] wave = await Task.WhenAll(Enumerable.Range(1, Wave).Select(i => client.CancelAsync(Seed(i)))).WaitAsync(Bound);
        VaultCallInfo next = await client.CancelAsync(Seed(Wave + 1)).WaitAsync(Bound);

        // While the probe is in flight the others stay on REST; once it succeeds, calls go to gRPC
        // again, so how many of the wave went where depends on timing. What does not: nobody paid a
        // failed gRPC round trip (no fallback), and the journal matches what the calls report.
        Assert.Contains(wave, c => c.Transport == Transport.Grpc);
        Assert.All(wave, c => Assert.Equal(c.Transport == Transport.Grpc ? FallbackReason.None : FallbackReason.StickyRest, c.Fallback));
        Assert.Equal(wave.Count(c => c.Transport == Transport.Grpc) + 1, fake.Journal.Count(Transport.Grpc, OperationsMethod.Cancel));
        Assert.Equal(wave.Count(c => c.Transport == Transport.Rest), fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));
        Assert.Equal((Transport.Grpc, FallbackReason.None), (next.Transport, next.Fallback));
        Assert.Null(client.TransportStatus.RestStickyUntil);
    }

    private static string Seed(int index) => $"operations/seed-{index:D5}";

    // Starts at the real now: the client's deadlines come from this clock and reach gRPC as instants.
    private static FakeTimeProvider StartClock() => new(DateTimeOffset.UtcNow);

    private static VaultOperationsClient CreateClient(FakeOperationsServer fake, TimeProvider time)
    {
        VaultOperationsClientOptions options = Options(fake);
        options.StickyRestWindow = Window;
        options.TimeProvider = time;
        return VaultOperationsClient.Create(options);
    }
}
