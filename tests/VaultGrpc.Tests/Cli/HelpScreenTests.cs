namespace VaultGrpc.Tests.Cli;

/// <summary>Every help screen shows the exit codes and the defaults, and only the options the command uses.</summary>
[Trait("Category", "Reliability")]
public sealed class HelpScreenTests
{
    public static TheoryData<string[]> AllHelpScreens => new()
    {
        { new[] { "--help" } },
        { new[] { "cancel", "--help" } },
        { new[] { "delete", "--help" } },
        { new[] { "get", "--help" } },
        { new[] { "list", "--help" } },
        { new[] { "wait", "--help" } },
        { new[] { "demo", "--help" } },
        { new[] { "fake-server", "--help" } },
    };

    public static TheoryData<string[]> ClientHelpScreens => new()
    {
        { new[] { "--help" } },
        { new[] { "cancel", "--help" } },
        { new[] { "delete", "--help" } },
        { new[] { "get", "--help" } },
        { new[] { "list", "--help" } },
        { new[] { "wait", "--help" } },
        { new[] { "demo", "--help" } },
    };

    [Fact]
    public async Task Help_FakeServer_ShowsTheServersOwnExitCodes()
    {
        CliRun run = await CliRun.RunAsync(["fake-server", "--help"], new InMemoryClient());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("  0  Stopped by SIGINT (Ctrl-C) or SIGTERM", run.Out);
        Assert.Contains("  2  Usage error, or a port that cannot be listened on", run.Out);
        Assert.DoesNotContain("Every call succeeded", run.Out);
    }

    [Theory]
    [MemberData(nameof(ClientHelpScreens))]
    public async Task Help_AnyCommand_ShowsExitCodesAndExitsZero(string[] args)
    {
        CliRun run = await CliRun.RunAsync(args, new InMemoryClient());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Exit codes:", run.Out);
        Assert.Contains("  0  Every call succeeded", run.Out);
        Assert.Contains("  1  A call failed", run.Out);
        Assert.Contains("  2  Usage error", run.Out);
    }

    [Theory]
    [MemberData(nameof(AllHelpScreens))]
    public async Task Help_AnyCommand_EveryOptionTakingAValueShowsItsDefault(string[] args)
    {
        // Options that have no default by nature: nothing is read, no token is required, every RPC is served, no file is written.
        string[] noDefault = ["--from-file", "--require-token", "--grpc-unimplemented", "--ready-file"];

        CliRun run = await CliRun.RunAsync(args, new InMemoryClient());

        string[] valueOptions = run.Out.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("--", StringComparison.Ordinal) && l.Contains(" <", StringComparison.Ordinal))
            .Where(l => !noDefault.Any(o => l.StartsWith(o + " ", StringComparison.Ordinal)))
            .ToArray();
        Assert.All(valueOptions, line => Assert.Contains("[default: ", line));
    }

    [Theory]
    [InlineData("cancel", true)]
    [InlineData("delete", true)]
    [InlineData("get", false)]
    [InlineData("list", false)]
    [InlineData("wait", false)]
    public async Task Help_Command_ConcurrencyOnlyWhereManyCallsAreMade(string command, bool expected)
    {
        CliRun run = await CliRun.RunAsync([command, "--help"], new InMemoryClient());

        Assert.Equal(expected, run.Out.Contains("--concurrency", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_ConcurrencyGiven_RejectedAsUnknownOption()
    {
        var gateway = new InMemoryClient();

        CliRun run = await CliRun.RunAsync(["get", "operations/a", "--no-auth", "--concurrency", "4"], gateway);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown option '--concurrency'", run.Error);
        Assert.Empty(run.ClientOptions);
    }

    [Fact]
    public async Task Help_Timeout_DefaultIsTheLibrarysDefault()
    {
        CliRun run = await CliRun.RunAsync(["get", "--help"], new InMemoryClient());

        Assert.Contains($"[default: {new VaultOperationsClientOptions().DefaultTimeout.TotalSeconds}]", run.Out);
    }
}
