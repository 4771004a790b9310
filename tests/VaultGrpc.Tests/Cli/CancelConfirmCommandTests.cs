using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.Cli;
using VaultGrpc.Cli.Commands;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Cli;

/// <summary><c>vault-ops cancel --confirm</c> in-process with the real client against a fake on loopback sockets.</summary>
[Trait("Category", "Reliability")]
public sealed class CancelConfirmCommandTests
{
    public static TheoryData<string, int> ExitCodeCases => new()
    {
        { "ignore", ExitCodes.StillRunning },
        { "complete-first", ExitCodes.EndedOtherwise },
        { "fail-first", ExitCodes.EndedOtherwise },
        { "unsupported", ExitCodes.CancelNotSupported },
        { "missing", ExitCodes.NotFound },
        { "honour-later", ExitCodes.Success },
    };

    [Fact]
    public async Task CancelConfirm_EveryOperationCancelled_ExitsZeroAndSaysConfirmed()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/a");

        CliRun run = await FakeCli.RunAsync(fake, "cancel", "--confirm", "operations/a");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(["cancelled operations/a (confirmed) via grpc"], FakeCli.Lines(run.Out));
        Assert.Contains("1 cancelled, 0 completed anyway, 0 failed otherwise, 0 still running, 0 not found, 0 cancel not supported, 0 failed", run.Error);
    }

    [Fact]
    public async Task CancelConfirm_MixedOutcomesAsJson_OneOutcomePerNameAndTheFirstExitCodeThatApplies()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/a");
        fake.Store.AddRunning("operations/b");
        fake.Store.ScriptCancel("operations/b", FakeCancelBehaviour.CompleteFirst(new StringValue { Value = "done" }));
        fake.Store.AddRunning("operations/c");
        fake.Store.ScriptCancel("operations/c", FakeCancelBehaviour.Ignore);

        CliRun run = await FakeCli.RunAsync(
            fake, "cancel", "--confirm", "--confirm-timeout", "0.5", "--output", "json", "operations/a", "operations/b", "operations/c", "operations/missing");

        Dictionary<string, JsonElement> lines = FakeCli.Lines(run.Out).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal("cancelled", lines["operations/a"].GetProperty("outcome").GetString());
        Assert.True(lines["operations/a"].GetProperty("ok").GetBoolean());
        Assert.Equal("completed_anyway", lines["operations/b"].GetProperty("outcome").GetString());
        Assert.False(lines["operations/b"].GetProperty("ok").GetBoolean());
        Assert.Equal("still_running", lines["operations/c"].GetProperty("outcome").GetString());
        Assert.False(lines["operations/c"].GetProperty("done").GetBoolean());
        Assert.Equal("not_found", lines["operations/missing"].GetProperty("outcome").GetString());
        Assert.Equal("NOT_FOUND", lines["operations/missing"].GetProperty("code").GetString());
        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(ExitCodeCases))]
    public async Task CancelConfirm_OneBehaviour_ExitCodeSaysWhichOutcome(string behaviour, int exitCode)
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        string name = behaviour == "missing" ? "operations/missing" : "operations/x";
        if (behaviour != "missing")
        {
            fake.Store.AddRunning(name);
            fake.Store.ScriptCancel(name, behaviour switch
            {
                "ignore" => FakeCancelBehaviour.Ignore,
                "complete-first" => FakeCancelBehaviour.CompleteFirst(),
                "fail-first" => FakeCancelBehaviour.FailFirst(new Google.Rpc.Status { Code = (int)StatusCode.Internal, Message = "disk full" }),
                "unsupported" => FakeCancelBehaviour.Unsupported,
                _ => FakeCancelBehaviour.HonourAfter(TimeSpan.FromMilliseconds(200)),
            });
        }

        CliRun run = await FakeCli.RunAsync(fake, "cancel", "--confirm", "--confirm-timeout", "0.5", name);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Single(FakeCli.Lines(run.Out));
    }

    [Fact]
    public async Task CancelConfirm_FailedOtherwiseAsText_KeepsTheOperationsStatus()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/x");
        fake.Store.ScriptCancel("operations/x", FakeCancelBehaviour.FailFirst(new Google.Rpc.Status { Code = (int)StatusCode.Internal, Message = "disk full" }));

        CliRun run = await FakeCli.RunAsync(fake, "cancel", "--confirm", "operations/x");

        Assert.Equal(["FAILED operations/x: ended with INTERNAL, not cancelled: disk full via grpc"], FakeCli.Lines(run.Out));
    }

    [Fact]
    public async Task CancelConfirm_NotSupportedAsJson_TriedRestAfterGrpc()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddRunning("operations/x");
        fake.Store.ScriptCancel("operations/x", FakeCancelBehaviour.Unsupported);

        CliRun run = await FakeCli.RunAsync(fake, "cancel", "--confirm", "--output", "json", "operations/x");

        JsonElement line = JsonDocument.Parse(FakeCli.Lines(run.Out).Single()).RootElement;
        Assert.Equal("cancel_not_supported", line.GetProperty("outcome").GetString());
        Assert.Equal("UNIMPLEMENTED", line.GetProperty("code").GetString());
        Assert.Equal("rest", line.GetProperty("transport").GetString());
        Assert.Equal(1, fake.Journal.Count(Transport.Grpc, OperationsMethod.Cancel));
        Assert.Equal(1, fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));
    }

    [Theory]
    [InlineData("--confirm-timeout", "5")]
    [InlineData("--confirm", "--confirm-timeout", "0")]
    [InlineData("--confirm", "--confirm-timeout", "-1")]
    public async Task CancelConfirm_BadConfirmOptions_UsageErrorNothingSent(params string[] options)
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();

        CliRun run = await FakeCli.RunAsync(fake, ["cancel", .. options, "operations/x"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(0, fake.Journal.Count());
    }

    [Fact]
    public void ExitCode_FailedCallAndOutcomes_FailedCallWinsThenNotSupportedThenNotFound()
    {
        var counts = new Dictionary<VaultCancelOutcome, int>
        {
            [VaultCancelOutcome.Cancelled] = 3,
            [VaultCancelOutcome.StillRunning] = 1,
            [VaultCancelOutcome.CompletedAnyway] = 1,
        };

        Assert.Equal(ExitCodes.StillRunning, ConfirmedCancel.ExitCode(counts, failedCalls: 0, notSent: 0));
        counts[VaultCancelOutcome.NotFound] = 1;
        Assert.Equal(ExitCodes.NotFound, ConfirmedCancel.ExitCode(counts, 0, 0));
        counts[VaultCancelOutcome.CancelNotSupported] = 1;
        Assert.Equal(ExitCodes.CancelNotSupported, ConfirmedCancel.ExitCode(counts, 0, 0));
        Assert.Equal(ExitCodes.CallsFailed, ConfirmedCancel.ExitCode(counts, 1, 0));
        Assert.Equal(ExitCodes.Success, ConfirmedCancel.ExitCode(new Dictionary<VaultCancelOutcome, int> { [VaultCancelOutcome.Cancelled] = 2 }, 0, 0));
    }
}
