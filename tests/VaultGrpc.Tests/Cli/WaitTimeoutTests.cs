using System.Diagnostics;
using Xunit.Abstractions;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Cli;

/// <summary>
/// <c>wait --wait-timeout S</c> against a server that never answers, over real sockets: the result
/// is "still running" (exit 1) shortly after S, not DEADLINE_EXCEEDED after the per-call timeout on top.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class WaitTimeoutTests(ITestOutputHelper log)
{
    // Generous: catches a wait that hangs or adds the call timeout (the old 15 s), not a slow machine.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Wait_WaitOperationHangs_StillRunningSoonAfterTheWaitTimeout()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/slow");
        fake.Faults.Add(Fault.Hang(), OperationsMethod.Wait, Transport.Grpc);
        var clock = Stopwatch.StartNew();

        CliRun run = await FakeCli.RunAsync(fake, "wait", "operations/slow", "--wait-timeout", "4");

        clock.Stop();
        log.WriteLine($"ended after {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("operations/slow  running", FakeCli.Lines(run.Out)[0], StringComparison.Ordinal);
        Assert.Contains("still running when the wait timed out", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("DEADLINE_EXCEEDED", run.Out + run.Error, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4) + Slack);
        Assert.Equal(1, fake.Journal.Count(Transport.Grpc, OperationsMethod.Wait));
    }

    [Fact]
    public async Task Wait_RestGetPollsHang_StillRunningSoonAfterTheWaitTimeout()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/slow");
        fake.Faults.Add(Fault.Hang(), OperationsMethod.Get, Transport.Rest);
        var clock = Stopwatch.StartNew();

        CliRun run = await FakeCli.RunAsync(fake, "wait", "operations/slow", "--wait-timeout", "2", "--transport", "rest");

        clock.Stop();
        log.WriteLine($"ended after {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["operations/slow  running", "  via rest"], FakeCli.Lines(run.Out));
        Assert.Contains("still running when the wait timed out", run.Error, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2) + Slack);
    }

    [Fact]
    public async Task Wait_RestPollAnswersThenHangs_PrintsTheStateLastSeen()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/slow", new Google.Protobuf.WellKnownTypes.Duration { Seconds = 7 });
        // The first poll answers; every later one hangs until the client gives up.
        fake.Faults.Add(Fault.Latency(TimeSpan.Zero), OperationsMethod.Get, Transport.Rest, times: 1);
        fake.Faults.Add(Fault.Hang(), OperationsMethod.Get, Transport.Rest);
        var clock = Stopwatch.StartNew();

        CliRun run = await FakeCli.RunAsync(fake, "wait", "operations/slow", "--wait-timeout", "3", "--transport", "rest", "--output", "json");

        clock.Stop();
        log.WriteLine($"ended after {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("google.protobuf.Duration", Assert.Single(FakeCli.Lines(run.Out)), StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3) + Slack);
        Assert.Equal(2, fake.Journal.Count(Transport.Rest, OperationsMethod.Get));
    }
}
