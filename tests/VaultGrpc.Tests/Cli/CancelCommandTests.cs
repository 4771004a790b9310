using System.Text.Json;
using Grpc.Core;

namespace VaultGrpc.Tests.Cli;

public sealed class CancelCommandTests
{
    [Fact]
    public async Task Cancel_JsonOutput_OneObjectPerNameWithTransportAndFallback()
    {
        var gateway = new InMemoryClient
        {
            OnCall = name => Task.FromResult(name == "operations/b"
                ? new VaultCallInfo(Transport.Rest, FallbackReason.GrpcUnimplemented, "unimplemented", 1)
                : InMemoryClient.ServedByGrpc),
        };

        CliRun run = await CliRun.RunAsync(["cancel", "operations/a", "operations/b", "--no-auth", "--output", "json"], gateway);

        Assert.Equal(0, run.ExitCode);
        Dictionary<string, JsonElement> lines = run.OutLines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal(2, lines.Count);
        Assert.Equal("""{"name":"operations/a","ok":true,"transport":"grpc","fallback":null}""", run.OutLines.Single(l => l.Contains("operations/a")));
        Assert.Equal("""{"name":"operations/b","ok":true,"transport":"rest","fallback":"grpc_unimplemented"}""", run.OutLines.Single(l => l.Contains("operations/b")));
        Assert.Contains("2 cancelled, 0 failed", run.Error);
        Assert.True(gateway.Disposed);
    }

    [Fact]
    public async Task Cancel_OneNotFound_ReportsItExitsOneAndStillCancelsTheOthers()
    {
        var gateway = new InMemoryClient
        {
            OnCall = name => name == "operations/gone"
                ? Task.FromException<VaultCallInfo>(new RpcException(new Status(StatusCode.NotFound, "Operation \"operations/gone\" not found.")))
                : Task.FromResult(InMemoryClient.ServedByGrpc),
        };

        CliRun run = await CliRun.RunAsync(["cancel", "operations/a", "operations/gone", "operations/c", "--no-auth", "--output", "json"], gateway);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(3, run.OutLines.Length);
        JsonElement failure = run.OutLines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => !e.GetProperty("ok").GetBoolean());
        Assert.Equal("operations/gone", failure.GetProperty("name").GetString());
        Assert.Equal("NOT_FOUND", failure.GetProperty("code").GetString());
        Assert.Equal("Operation \"operations/gone\" not found.", failure.GetProperty("message").GetString());
        Assert.Equal(1, gateway.Calls["operations/c"]);
    }

    [Fact]
    public async Task Cancel_TextOutput_SaysWhatHappenedAndHow()
    {
        var gateway = new InMemoryClient { OnCall = _ => Task.FromResult(new VaultCallInfo(Transport.Rest, FallbackReason.StickyRest, null, 1)) };

        CliRun run = await CliRun.RunAsync(["cancel", "operations/a", "--no-auth"], gateway);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["cancelled operations/a via rest (fallback: sticky_rest)"], run.OutLines);
    }

    [Fact]
    public async Task Cancel_DuplicatedNamesFromArgsAndStdin_EachCancelledOnce()
    {
        var gateway = new InMemoryClient();
        const string stdin = "# names\noperations/a\n\noperations/b\noperations/a\r\n";

        CliRun run = await CliRun.RunAsync(["cancel", "operations/b", "--from-file", "-", "--no-auth", "--output", "json"], gateway, stdin);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, run.OutLines.Length);
        Assert.Equal(1, gateway.Calls["operations/a"]);
        Assert.Equal(1, gateway.Calls["operations/b"]);
    }

    [Fact]
    public async Task Cancel_OneInvalidNameAmongValid_ExitsTwoAndSendsNothing()
    {
        var gateway = new InMemoryClient();

        CliRun run = await CliRun.RunAsync(["cancel", "operations/a", "--from-file", "-", "--no-auth"], gateway, "operations/b\noperations/../matters/1\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(0, gateway.TotalCalls);
        Assert.Empty(run.ClientOptions);
        Assert.Empty(run.Out);
        Assert.Contains("'operations/../matters/1'", run.Error);
    }

    [Theory]
    [InlineData("--transport", "carrier-pigeon")]
    [InlineData("--output", "xml")]
    [InlineData("--concurrency", "0")]
    [InlineData("--timeout", "-1")]
    [InlineData("--endpoint", "vault.example.com")]
    [InlineData("--bogus", "x")]
    public async Task Cancel_BadOption_ExitsTwoAndSendsNothing(string option, string value)
    {
        var gateway = new InMemoryClient();

        CliRun run = await CliRun.RunAsync(["cancel", "operations/a", "--no-auth", option, value], gateway);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(0, gateway.TotalCalls);
        Assert.NotEmpty(run.Error);
    }

    [Fact]
    public async Task Cancel_NoNames_ExitsTwo()
    {
        CliRun run = await CliRun.RunAsync(["cancel", "--no-auth"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No operation names", run.Error);
    }

    [Fact]
    public async Task Cancel_NoCommand_ExitsTwo()
    {
        CliRun run = await CliRun.RunAsync([], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public async Task Cancel_Help_ExitsZeroAndListsOptionsWithDefaults()
    {
        CliRun run = await CliRun.RunAsync(["cancel", "--help"], new InMemoryClient());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--concurrency", run.Out);
        Assert.Contains("[default: 16]", run.Out);
    }

    [Fact]
    public async Task Cancel_TokenFromEnvironment_IsUsedAndNeverPrinted()
    {
        const string token = "ya29.secret-token-value";
        var gateway = new InMemoryClient
        {
            OnCall = _ => Task.FromException<VaultCallInfo>(new RpcException(new Status(StatusCode.Unauthenticated, $"token {token} expired"))),
        };

        CliRun run = await CliRun.RunAsync(
            ["cancel", "operations/a", "--endpoint", "http://127.0.0.1:1", "--output", "json"],
            gateway,
            environment: new Dictionary<string, string> { ["VAULT_OPS_ACCESS_TOKEN"] = token });

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("access-token", run.ClientOptions.Single().Credentials.Description);
        Assert.DoesNotContain(token, run.Out + run.Error);
        Assert.Contains("token *** expired", run.Out);
    }

    [Fact]
    public async Task Cancel_TokenOverPlaintextToRemoteHost_ExitsTwoUnlessAllowed()
    {
        string[] args = ["cancel", "operations/a", "--endpoint", "http://vault.example.com", "--access-token", "t0ken"];

        CliRun refused = await CliRun.RunAsync(args, new InMemoryClient());
        CliRun allowed = await CliRun.RunAsync([.. args, "--allow-insecure"], new InMemoryClient());

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("plaintext", refused.Error);
        Assert.DoesNotContain("t0ken", refused.Error);
        Assert.Equal(0, allowed.ExitCode);
    }

    [Fact]
    public async Task Cancel_NoAuthWithAccessToken_ExitsTwo()
    {
        CliRun run = await CliRun.RunAsync(["cancel", "operations/a", "--no-auth", "--access-token", "t"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("contradict", run.Error);
    }

    [Fact]
    public async Task Cancel_Options_ReachTheClient()
    {
        CliRun run = await CliRun.RunAsync(
            ["cancel", "operations/a", "--no-auth", "--endpoint", "http://127.0.0.1:5001", "--rest-endpoint", "http://127.0.0.1:5002", "--transport", "rest", "--timeout", "2.5"],
            new InMemoryClient());

        VaultOperationsClientOptions options = run.ClientOptions.Single();
        Assert.Equal(new Uri("http://127.0.0.1:5001"), options.Endpoint);
        Assert.Equal(new Uri("http://127.0.0.1:5002"), options.RestEndpoint);
        Assert.Equal(TransportMode.RestOnly, options.TransportMode);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.DefaultTimeout);
        Assert.Same(VaultCredentials.None, options.Credentials);
    }

    [Fact]
    public async Task Cancel_InterruptedMidRun_ReportsFinishedCallsAndExitsOne()
    {
        var release = new TaskCompletionSource<VaultCallInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gateway = new InMemoryClient { OnCall = _ => { firstStarted.TrySetResult(); return release.Task; } };
        using var stop = new CancellationTokenSource();
        string[] names = Enumerable.Range(0, 20).Select(i => $"operations/{i}").ToArray();

        Task<CliRun> running = CliRun.RunAsync(["cancel", .. names, "--no-auth", "--concurrency", "1", "--output", "json"], gateway, cancellationToken: stop.Token);
        await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        release.SetResult(InMemoryClient.ServedByGrpc);
        CliRun run = await running;

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.OutLines);
        Assert.Equal(1, gateway.TotalCalls);
        Assert.Contains("19 not sent", run.Error);
    }

    [Fact]
    public async Task Delete_ManyNames_UsesTheBulkRunner()
    {
        var gateway = new InMemoryClient();

        CliRun run = await CliRun.RunAsync(["delete", "operations/a", "operations/b", "operations/a", "--no-auth"], gateway);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["deleted operations/a via grpc", "deleted operations/b via grpc"], run.OutLines.Order());
    }
}
