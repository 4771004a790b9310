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

        CliRun run = await CliRun.RunAsync(["cancel", .. names, "--no-auth"], new InMemoryGateway());

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
        var gateway = new InMemoryGateway { OnCall = _ => release.Task };
        var host = new CliHost(Stream.Null, TextWriter.Synchronized(output), syncError, OutIsTerminal: false, ErrorIsTerminal: true, _ => null, _ => gateway);
        string[] names = Enumerable.Range(0, 100).Select(i => $"operations/{i}").ToArray();

        Task<int> running = VaultOpsApp.RunAsync(["cancel", .. names, "--no-auth"], host);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!ErrorText().Contains("0/100") && !running.IsCompleted)
        {
            await Task.Delay(20, timeout.Token);
        }

        release.SetResult(InMemoryGateway.ServedByGrpc);
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
