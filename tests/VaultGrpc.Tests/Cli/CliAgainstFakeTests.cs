using System.Text.Json;
using VaultGrpc.Cli;
using VaultGrpc.Cli.Clients;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Cli;

/// <summary>vault-ops in-process, with the real client, against the fake on 127.0.0.1 sockets.</summary>
public sealed class CliAgainstFakeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("serve", "grpc", null)]
    [InlineData("unimplemented", "rest", "grpc_unimplemented")]
    [InlineData("off", "rest", "grpc_no_connection")]
    [InlineData("http1", "rest", "grpc_not_served")]
    public async Task Cancel_EachGrpcMode_ServedAsExpectedAndOperationCancelled(string mode, string transport, string? fallback)
    {
        await using FakeOperationsServer fake = await StartAsync(mode);
        fake.Store.AddRunning("operations/one");

        CliRun run = await RunAsync(fake, "cancel", "operations/one", "--output", "json");

        Assert.Equal(0, run.ExitCode);
        JsonElement line = JsonDocument.Parse(run.OutLines.Single()).RootElement;
        Assert.Equal(transport, line.GetProperty("transport").GetString());
        Assert.Equal(fallback, line.GetProperty("fallback").GetString());
        Assert.True(fake.Store.Find("operations/one")!.Done);
        Assert.Equal(transport == "rest" ? 1 : 0, fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));
        Assert.Equal(mode == "serve" ? 1 : 0, fake.Journal.Where(Transport.Grpc, OperationsMethod.Cancel).Count(e => e.Status == Grpc.Core.StatusCode.OK));
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("unimplemented")]
    [InlineData("off")]
    [InlineData("http1")]
    public async Task Get_EachGrpcMode_PrintsTheOperationAndNotFoundExitsOne(string mode)
    {
        await using FakeOperationsServer fake = await StartAsync(mode);
        fake.Store.AddRunning("operations/here");

        CliRun found = await RunAsync(fake, "get", "operations/here", "--output", "json");
        CliRun missing = await RunAsync(fake, "get", "operations/missing", "--output", "json");

        Assert.Equal(0, found.ExitCode);
        Assert.Equal("operations/here", JsonDocument.Parse(found.OutLines.Single()).RootElement.GetProperty("name").GetString());
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("NOT_FOUND", JsonDocument.Parse(missing.OutLines.Single()).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Cancel_ThousandNamesThroughUnimplementedGrpc_StickyFallbackKeepsGrpcAttemptsFew()
    {
        await using FakeOperationsServer fake = await StartAsync("unimplemented");
        IReadOnlyList<string> names = fake.Store.AddRunning(1000, "operations/bulk-");

        CliRun run = await RunAsync(fake, [], string.Join('\n', names), "cancel", "--from-file", "-", "--output", "json", "--concurrency", "16");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1000, run.OutLines.Length);
        Assert.All(names, n => Assert.True(fake.Store.Find(n)!.Done));
        int grpcAttempts = fake.Journal.Count(Transport.Grpc, OperationsMethod.Cancel);
        Assert.Equal(1000, fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));
        Assert.InRange(grpcAttempts, 1, 50);
        Assert.Contains(run.OutLines, l => l.Contains("\"fallback\":\"sticky_rest\""));
    }

    [Fact]
    public async Task Cancel_BadNameAmongGood_ExitsTwoAndTheJournalStaysEmpty()
    {
        await using FakeOperationsServer fake = await StartAsync("serve");
        fake.Store.AddRunning("operations/good");

        CliRun run = await RunAsync(fake, "cancel", "operations/good", "operations/../matters/1", "operations/x/");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(fake.Journal.Entries);
        Assert.False(fake.Store.Find("operations/good")!.Done);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Cancel_DuplicatedNames_EachCancelledOnce()
    {
        await using FakeOperationsServer fake = await StartAsync("serve");
        fake.Store.AddRunning("operations/a");
        fake.Store.AddRunning("operations/b");

        CliRun run = await RunAsync(fake, [], "operations/a\noperations/b\noperations/a\n", "cancel", "operations/b", "operations/a", "--from-file", "-");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, run.OutLines.Length);
        Assert.Equal(2, fake.Journal.Count(method: OperationsMethod.Cancel));
        Assert.Single(fake.Journal.Where(method: OperationsMethod.Cancel), e => e.OperationName == "operations/a");
    }

    [Fact]
    public async Task Cancel_SomeMissing_ReportsNotFoundAndCancelsTheRest()
    {
        await using FakeOperationsServer fake = await StartAsync("serve");
        fake.Store.AddRunning("operations/a");

        CliRun run = await RunAsync(fake, "cancel", "operations/a", "operations/nope", "--output", "json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.Contains("\"code\":\"NOT_FOUND\"") && l.Contains("operations/nope"));
        Assert.True(fake.Store.Find("operations/a")!.Done);
    }

    [Fact]
    public async Task List_AcrossPages_PrintsEveryOperation()
    {
        await using FakeOperationsServer fake = await StartAsync("serve");
        fake.Store.AddRunning(7, "operations/l-");

        CliRun run = await RunAsync(fake, "list", "--page-size", "3", "--output", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(7, run.OutLines.Length);
        Assert.Equal(3, fake.Journal.Count(method: OperationsMethod.List));
    }

    [Fact]
    public async Task Cancel_RequiredTokenFromEnvironment_IsSentAndNotPrinted()
    {
        const string token = "fake-token-123";
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => { o.Hosting = FakeHosting.Sockets; o.RequiredBearerToken = token; });
        fake.Store.AddRunning("operations/t");

        CliRun run = await CliRun.RunAsync(
            ["cancel", "operations/t", "--endpoint", fake.GrpcAddress.ToString(), "--rest-endpoint", fake.RestAddress.ToString(), "--output", "json"],
            ExplainedFailuresClient.ForOptions,
            string.Empty,
            new Dictionary<string, string> { ["VAULT_OPS_ACCESS_TOKEN"] = token },
            errorIsTerminal: false,
            CancellationToken.None);

        Assert.Equal(0, run.ExitCode);
        Assert.True(fake.Journal.Last!.HasAuthorization);
        Assert.DoesNotContain(token, run.Out + run.Error);
    }

    [Fact]
    public async Task FakeServer_InProcess_PrintsAddressesServesAndStopsOnCancel()
    {
        var output = new StringWriter();
        TextWriter syncOut = TextWriter.Synchronized(output);
        var host = new CliHost(Stream.Null, syncOut, TextWriter.Null, false, false, _ => null, ExplainedFailuresClient.ForOptions);
        using var stop = new CancellationTokenSource();

        Task<int> server = VaultOpsApp.RunAsync(["fake-server", "--grpc-mode", "unimplemented", "--seed-ops", "3"], host, stop.Token);
        using var wait = new CancellationTokenSource(Timeout);
        while (!Text().Contains("ready") && !server.IsCompleted)
        {
            await Task.Delay(20, wait.Token);
        }

        string grpc = Text().Split('\n').Single(l => l.StartsWith("grpc ")).Split(' ')[1];
        string rest = Text().Split('\n').Single(l => l.StartsWith("rest ")).Split(' ')[1].Trim();
        CliRun run = await CliRun.RunAsync(
            ["cancel", "operations/seed-00001", "--endpoint", grpc, "--rest-endpoint", rest, "--no-auth", "--output", "json"], ExplainedFailuresClient.ForOptions, string.Empty, null, false, CancellationToken.None);
        await stop.CancelAsync();
        int exitCode = await server.WaitAsync(Timeout);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"fallback\":\"grpc_unimplemented\"", run.Out);
        Assert.Equal(0, exitCode);

        string Text()
        {
            lock (syncOut)
            {
                return output.ToString();
            }
        }
    }

    [Fact]
    public async Task Demo_SmallBulk_RunsEveryStepAndExitsZero()
    {
        CliRun run = await CliRun.RunAsync(["demo", "--bulk", "50"], new InMemoryClient());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("via grpc", run.Out);
        Assert.Contains("via rest (fallback: grpc_unimplemented)", run.Out);
        Assert.Contains("NOT_FOUND", run.Out);
        Assert.Contains("ops/s", run.Out);
        Assert.Contains("every step behaved as shown", run.Out);
    }

    private static Task<FakeOperationsServer> StartAsync(string mode) => FakeOperationsServer.StartAsync(o =>
    {
        o.Hosting = FakeHosting.Sockets;
        o.GrpcMode = VaultGrpc.Cli.Commands.FakeServerCommand.Modes[mode];
    });

    private static Task<CliRun> RunAsync(FakeOperationsServer fake, params string[] args) => RunAsync(fake, [], string.Empty, args);

    private static Task<CliRun> RunAsync(FakeOperationsServer fake, string[] extra, string stdin, params string[] args) => CliRun.RunAsync(
        [.. args, .. extra, "--endpoint", fake.GrpcAddress.ToString(), "--rest-endpoint", fake.RestAddress.ToString(), "--no-auth"],
        ExplainedFailuresClient.ForOptions,
        stdin,
        null,
        errorIsTerminal: false,
        CancellationToken.None);
}
