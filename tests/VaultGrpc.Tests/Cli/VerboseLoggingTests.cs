using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using VaultGrpc.Cli.Clients;
using VaultGrpc.Cli.Logging;
using VaultGrpc.Cli.Output;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Cli;

/// <summary><c>--verbose</c> puts the client's logs on standard error: one escaped, token-free line each.</summary>
[Trait("Category", "Reliability")]
public sealed class VerboseLoggingTests
{
    [Fact]
    public async Task List_VerboseAndGrpcDown_FallbackLoggedOnStandardErrorOnly()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();

        CliRun run = await RunAgainstClosedGrpcAsync(fake, "--verbose");

        Assert.Equal(0, run.ExitCode);
        string[] logs = FakeCli.Lines(run.Error).Where(l => l.StartsWith("vault-ops: ", StringComparison.Ordinal)).ToArray();
        Assert.Contains(logs, l => l.StartsWith("vault-ops: warn ", StringComparison.Ordinal) && l.Contains("falling back to REST", StringComparison.Ordinal));
        Assert.DoesNotContain("vault-ops: ", run.Out);
        FakeCli.AssertNothingRaw(run.Error);
    }

    [Fact]
    public async Task List_NotVerbose_NoLogLines()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();

        CliRun run = await RunAgainstClosedGrpcAsync(fake);

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("falling back", run.Error);
    }

    [Fact]
    public void Format_MessageWithTokenAndLineBreak_OneLineTokenMasked()
    {
        using var factory = new TerminalLoggerFactory(TextWriter.Null, new SecretRedactor(["tok-verbose-1"]));

        string line = factory.Format(LogLevel.Warning, "Invoker", "server said tok-verbose-1\n\u001b[2Jforged", new IOException("reset"));

        Assert.Equal("vault-ops: warn Invoker: server said ***\\u000A\\u001B[2Jforged (reset)", line);
    }

    [Fact]
    public void CreateLogger_DebugEnabledTraceNot_WritesOneLinePerEntry()
    {
        var error = new StringWriter();
        using var factory = new TerminalLoggerFactory(error, SecretRedactor.None);
        ILogger logger = factory.CreateLogger("VaultGrpc.VaultOperationsClient");

        logger.LogTrace("hidden");
        logger.LogDebug("attempt {Attempt} failed", 1);

        Assert.False(logger.IsEnabled(LogLevel.Trace));
        Assert.Equal(["vault-ops: debug VaultOperationsClient: attempt 1 failed"], FakeCli.Lines(error.ToString()));
    }

    private static Task<CliRun> RunAgainstClosedGrpcAsync(FakeOperationsServer fake, params string[] extra)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return CliRun.RunAsync(
            ["list", "--no-auth", "--endpoint", $"http://127.0.0.1:{closedPort}", "--rest-endpoint", fake.RestAddress.ToString(), .. extra],
            ExplainedFailuresClient.ForOptions,
            string.Empty,
            null,
            errorIsTerminal: false,
            CancellationToken.None);
    }
}
