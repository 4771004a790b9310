namespace VaultGrpc.Tests.Cli;

/// <summary>Usage errors speak of the flags the user typed, in words, and send nothing.</summary>
[Trait("Category", "Reliability")]
public sealed class PlainUsageErrorTests
{
    [Fact]
    public async Task Cancel_MistypedOptionBeforeName_RejectedAsUnknownOptionAndNothingSent()
    {
        var gateway = new InMemoryClient();

        CliRun run = await CliRun.RunAsync(["cancel", "--tiemout", "5", "operations/a", "--no-auth"], gateway);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(0, gateway.TotalCalls);
        Assert.Empty(run.ClientOptions);
        Assert.Contains("vault-ops cancel: unknown option '--tiemout' (did you mean --timeout?)", run.Error);
        Assert.DoesNotContain("operations/", run.Error);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("wait")]
    [InlineData("delete")]
    public async Task Command_UnknownOption_ExitsTwoNamingIt(string command)
    {
        var gateway = new InMemoryClient();

        CliRun run = await CliRun.RunAsync([command, "--frobnicate", "operations/a", "--no-auth"], gateway);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(0, gateway.TotalCalls);
        Assert.Contains($"vault-ops {command}: unknown option '--frobnicate'", run.Error);
        Assert.DoesNotContain("did you mean", run.Error);
    }

    [Fact]
    public async Task Get_MistypedOptionWithPasswordUrlAttached_PasswordMasked()
    {
        CliRun run = await CliRun.RunAsync(["get", "operations/a", "--no-auth", "--endpont=https://user:hunter2-pw@vault.example"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown option '--endpont=…' (did you mean --endpoint?)", run.Error);
        Assert.DoesNotContain("hunter2-pw", run.Error);
    }

    [Fact]
    public async Task Get_MistypedTokenFlagWithOpaqueTokenAttached_OnlyTheFlagShown()
    {
        // An opaque token has no shape redaction could recognise: only the flag may be echoed.
        CliRun run = await CliRun.RunAsync(["get", "--acess-token=opaqueSECRET123", "operations/a"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown option '--acess-token=…' (did you mean --access-token?)", run.Error);
        Assert.DoesNotContain("opaqueSECRET123", run.Error);
    }

    [Fact]
    public async Task Cancel_NegativeLookingNameAfterDoubleDash_ReportedAsAName()
    {
        CliRun run = await CliRun.RunAsync(["cancel", "--no-auth", "--", "-x"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("unknown option", run.Error);
        Assert.Contains("'-x'", run.Error);
    }

    [Theory]
    [InlineData("--timeout", "abc", "--timeout: expected a number of seconds")]
    [InlineData("--concurrency", "many", "--concurrency: expected a whole number")]
    public async Task Cancel_NotANumber_SaysWhatWasExpectedWithoutTypeNames(string option, string value, string expected)
    {
        CliRun run = await CliRun.RunAsync(["cancel", "operations/a", "--no-auth", option, value], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.Contains($"'{value}'", run.Error);
        Assert.DoesNotContain("System.", run.Error);
        Assert.DoesNotContain("Nullable", run.Error);
    }

    [Fact]
    public async Task Wait_WaitTimeoutNotANumber_SaysSeconds()
    {
        CliRun run = await CliRun.RunAsync(["wait", "operations/a", "--no-auth", "--wait-timeout", "soon"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("vault-ops wait: --wait-timeout: expected a number of seconds", run.Error);
        Assert.DoesNotContain("System.", run.Error);
    }

    [Fact]
    public async Task Cancel_NegativeTimeout_StillReadAsAValue()
    {
        CliRun run = await CliRun.RunAsync(["cancel", "operations/a", "--no-auth", "--timeout", "-1"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("unknown option", run.Error);
        Assert.Contains("--timeout must be a positive number of seconds", run.Error);
    }
}
