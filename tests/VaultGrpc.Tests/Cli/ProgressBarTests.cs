using VaultGrpc.Cli;
using VaultGrpc.Cli.Output;

namespace VaultGrpc.Tests.Cli;

public sealed class ProgressBarTests
{
    [Fact]
    public void Render_Half_DrawsHalfTheBar()
    {
        Assert.Equal("[###############...............] 50/100  50%", ProgressBar.Render(50, 100));
    }

    [Fact]
    public async Task Cancel_ManyNamesRedirected_DrawsNoBar()
    {
        string[] names = Enumerable.Range(0, 200).Select(i => $"operations/{i}").ToArray();

        CliRun run = await CliRun.RunAsync(["cancel", .. names, "--no-auth"], new InMemoryClient());

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("[", run.Error);
        Assert.DoesNotContain("[", run.Out);
    }

    [Fact]
    public async Task Cancel_ManyNamesAtATerminal_DrawsTheBarOnStandardErrorOnly()
    {
        // The calls wait until the bar has been drawn, so the test does not depend on timing.
        var output = new StringWriter();
        var error = new StringWriter();
        TextWriter syncError = TextWriter.Synchronized(error);
        var release = new TaskCompletionSource<VaultCallInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        var gateway = new InMemoryClient { OnCall = _ => release.Task };
        var host = new CliHost(Stream.Null, TextWriter.Synchronized(output), syncError, OutIsTerminal: false, ErrorIsTerminal: true, _ => null, _ => gateway);
        string[] names = Enumerable.Range(0, 100).Select(i => $"operations/{i}").ToArray();

        Task<int> running = VaultOpsApp.RunAsync(["cancel", .. names, "--no-auth"], host);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!ErrorText().Contains("0/100") && !running.IsCompleted)
        {
            await Task.Delay(20, timeout.Token);
        }

        release.SetResult(InMemoryClient.ServedByGrpc);
        int exitCode = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, exitCode);
        Assert.Contains("[..............................] 0/100   0%", ErrorText());
        Assert.DoesNotContain("/100", output.ToString());
        Assert.Equal(100, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        string ErrorText()
        {
            lock (syncError)
            {
                return error.ToString();
            }
        }
    }
}

/// <summary>The bar's rate and time left, and its promise of no escape sequences (NO_COLOR).</summary>
[Trait("Category", "Reliability")]
public sealed class ProgressBarRateTests
{
    [Fact]
    public void Render_QuarterDoneInTenSeconds_ShowsRateAndTimeLeft()
    {
        string line = ProgressBar.Render(100, 400, TimeSpan.FromSeconds(10));

        Assert.Equal("[#######.......................] 100/400  25%  10 calls/s  ETA 0:30", line);
    }

    [Fact]
    public void Render_NothingDoneYet_NoRateNorEta()
    {
        Assert.EndsWith("0/400   0%  -- calls/s  ETA --:--", ProgressBar.Render(0, 400, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Render_SlowAndLong_EtaInHours()
    {
        Assert.EndsWith("ETA 2:46:39", ProgressBar.Render(1, 10_000, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Render_SlowerThanADayToGo_EtaCappedAtADayNotZero()
    {
        // One call in 100 s with a million to go: the cap, a day, reads 24:00:00 (not the hours component, 0).
        Assert.EndsWith("ETA 24:00:00", ProgressBar.Render(1, 1_000_000, TimeSpan.FromSeconds(100)));
    }

    [Fact]
    public async Task Cancel_ManyNamesAtATerminalWithNoColor_NoEscapeSequenceAnywhere()
    {
        var gateway = new InMemoryClient { OnCall = async _ => { await Task.Delay(5); return InMemoryClient.ServedByGrpc; } };
        string[] names = Enumerable.Range(0, 400).Select(i => $"operations/{i}").ToArray();

        CliRun run = await CliRun.RunAsync(
            ["cancel", .. names, "--no-auth", "--concurrency", "4"],
            _ => gateway,
            string.Empty,
            new Dictionary<string, string> { ["NO_COLOR"] = "1" },
            errorIsTerminal: true,
            CancellationToken.None);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("/400", run.Error); // the bar was drawn (the run takes at least 500 ms; it redraws every 100 ms)
        Assert.Contains(" ETA ", run.Error);
        Assert.DoesNotContain('\u001b', run.Error + run.Out);
    }
}
