using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Lifecycle;

/// <summary>
/// The outcome matrix of cancel-and-confirm: each cancel behaviour the fake can script, over gRPC and
/// through the REST fallback, against the real client on a fake clock shared with the fake.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class CancelAndConfirmMatrixTests
{
    private const string Name = "operations/count-1";
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(20);

    public static TheoryData<LifecycleRoute> Routes => new() { LifecycleRoute.Grpc, LifecycleRoute.RestFallback };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CancelAndConfirm_HonouredAtOnce_Cancelled(LifecycleRoute route)
    {
        await using LifecycleBed bed = await LifecycleBed.StartAsync(route);
        bed.Fake.Store.AddRunning(Name);

        VaultCancelResult result = await bed.DriveAsync(bed.Client.CancelAndConfirmAsync(Name, ConfirmTimeout));

        Assert.Equal(VaultCancelOutcome.Cancelled, result.Outcome);
        Assert.Equal((int)StatusCode.Cancelled, result.Status!.Code);
        Assert.True(result.Operation!.Done);
        AssertServedOver(route, result.Call);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CancelAndConfirm_HonouredAfterDelay_CancelledOnceTheDelayPassed(LifecycleRoute route)
    {
        await using LifecycleBed bed = await LifecycleBed.StartAsync(route);
        bed.Fake.Store.AddRunning(Name);
        bed.Fake.Store.ScriptCancel(Name, FakeCancelBehaviour.HonourAfter(TimeSpan.FromSeconds(5)));
        DateTimeOffset start = bed.Time.GetUtcNow();

        VaultCancelResult result = await bed.DriveAsync(bed.Client.CancelAndConfirmAsync(Name, ConfirmTimeout));

        Assert.Equal(VaultCancelOutcome.Cancelled, result.Outcome);
        Assert.True(bed.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(5), "confirmed before the fake honoured the cancel");
        Assert.True(bed.Time.GetUtcNow() - start < ConfirmTimeout, "the confirmation waited for its timeout instead of seeing the end");
        AssertServedOver(route, result.Call);

        // Watched with WaitOperation where gRPC serves it, with Get polls through the fallback.
        bool grpc = route == LifecycleRoute.Grpc;
        Assert.Equal(grpc, bed.Fake.Journal.Count(Transport.Grpc, OperationsMethod.Wait) > 0);
        Assert.Equal(!grpc, bed.Fake.Journal.Count(Transport.Rest, OperationsMethod.Get) > 0);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CancelAndConfirm_CompletesBeforeCancelLands_CompletedAnywayWithResponse(LifecycleRoute route)
    {
        await using LifecycleBed bed = await LifecycleBed.StartAsync(route);
        bed.Fake.Store.AddRunning(Name);
        bed.Fake.Store.ScriptCancel(Name, FakeCancelBehaviour.CompleteFirst(new StringValue { Value = "counted" }));

        VaultCancelResult result = await bed.DriveAsync(bed.Client.CancelAndConfirmAsync(Name, ConfirmTimeout));

        Assert.Equal(VaultCancelOutcome.CompletedAnyway, result.Outcome);
        Assert.Null(result.Status);
        Assert.Equal("counted", result.Operation!.Response.Unpack<StringValue>().Value);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CancelAndConfirm_FailsBeforeCancelLands_FailedOtherwiseWithItsStatus(LifecycleRoute route)
    {
        await using LifecycleBed bed = await LifecycleBed.StartAsync(route);
        bed.Fake.Store.AddRunning(Name);
        var error = new Google.Rpc.Status { Code = (int)StatusCode.ResourceExhausted, Message = "Too many accounts." };
        error.Details.Add(Any.Pack(new Google.Rpc.ErrorInfo { Reason = "ACCOUNT_LIMIT", Domain = "vault.googleapis.com" }));
        bed.Fake.Store.ScriptCancel(Name, FakeCancelBehaviour.FailFirst(error));

        VaultCancelResult result = await bed.DriveAsync(bed.Client.CancelAndConfirmAsync(Name, ConfirmTimeout));

        Assert.Equal(VaultCancelOutcome.FailedOtherwise, result.Outcome);
        Assert.Equal(error, result.Status);
        Assert.Equal("ACCOUNT_LIMIT", result.Status!.Details.Single().Unpack<Google.Rpc.ErrorInfo>().Reason);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CancelAndConfirm_ServerIgnoresCancel_StillRunningAfterTheConfirmTimeout(LifecycleRoute route)
    {
        await using LifecycleBed bed = await LifecycleBed.StartAsync(route);
        bed.Fake.Store.AddRunning(Name, new StringValue { Value = "progress" });
        bed.Fake.Store.ScriptCancel(Name, FakeCancelBehaviour.Ignore);
        DateTimeOffset start = bed.Time.GetUtcNow();

        VaultCancelResult result = await bed.DriveAsync(bed.Client.CancelAndConfirmAsync(Name, ConfirmTimeout));

        Assert.Equal(VaultCancelOutcome.StillRunning, result.Outcome);
        Assert.False(result.Operation!.Done);
        Assert.Equal("progress", result.Operation.Metadata.Unpack<StringValue>().Value);
        Assert.True(bed.Time.GetUtcNow() - start >= ConfirmTimeout, "gave up before the confirm timeout");
        Assert.False(bed.Fake.Store.Find(Name)!.Done);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CancelAndConfirm_ServerDoesNotSupportCancel_CancelNotSupportedAfterBothTransports(LifecycleRoute route)
    {
        await using LifecycleBed bed = await LifecycleBed.StartAsync(route);
        bed.Fake.Store.AddRunning(Name);
        bed.Fake.Store.ScriptCancel(Name, FakeCancelBehaviour.Unsupported);

        VaultCancelResult result = await bed.DriveAsync(bed.Client.CancelAndConfirmAsync(Name, ConfirmTimeout));

        Assert.Equal(VaultCancelOutcome.CancelNotSupported, result.Outcome);
        Assert.Equal((int)StatusCode.Unimplemented, result.Status!.Code);
        Assert.Null(result.Operation);
        Assert.Equal(1, bed.Fake.Journal.Count(Transport.Grpc, OperationsMethod.Cancel));
        Assert.Equal(1, bed.Fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));
        Assert.Equal(Transport.Rest, result.Call!.Transport);
        Assert.False(bed.Fake.Store.Find(Name)!.Done);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CancelAndConfirm_NoSuchOperation_NotFound(LifecycleRoute route)
    {
        await using LifecycleBed bed = await LifecycleBed.StartAsync(route);

        VaultCancelResult result = await bed.DriveAsync(bed.Client.CancelAndConfirmAsync("operations/missing", ConfirmTimeout));

        Assert.Equal(VaultCancelOutcome.NotFound, result.Outcome);
        Assert.Equal((int)StatusCode.NotFound, result.Status!.Code);
        Assert.Null(result.Operation);
        AssertServedOver(route, result.Call);
    }

    [Fact]
    public async Task CancelAndConfirm_DeletedWhileWatched_NotFound()
    {
        await using LifecycleBed bed = await LifecycleBed.StartAsync(LifecycleRoute.RestFallback);
        bed.Fake.Store.AddRunning(Name);
        bed.Fake.Store.ScriptCancel(Name, FakeCancelBehaviour.Ignore);
        Task<VaultCancelResult> confirming = bed.Client.CancelAndConfirmAsync(Name, ConfirmTimeout);
        await WaitUntilAsync(() => bed.Fake.Journal.Count(null, OperationsMethod.Get) > 0);

        bed.Fake.Store.Remove(Name);
        VaultCancelResult result = await bed.DriveAsync(confirming);

        Assert.Equal(VaultCancelOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task CancelAndConfirm_NonPositiveConfirmTimeout_ThrowsBeforeAnyCall()
    {
        await using LifecycleBed bed = await LifecycleBed.StartAsync(LifecycleRoute.Grpc);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => bed.Client.CancelAndConfirmAsync(Name, TimeSpan.Zero));

        Assert.Equal(0, bed.Fake.Journal.Count());
    }

    [Fact]
    public async Task CancelAndConfirm_StandInOverridingCancelAndWait_GetsTheOutcomeFromTheBase()
    {
        var standIn = new CancelWaitStandIn(new Operation { Name = Name, Done = true, Error = new Google.Rpc.Status { Code = 1, Message = "cancelled" } });

        VaultCancelResult result = await standIn.CancelAndConfirmAsync(Name).WaitAsync(LifecycleBed.Bound);

        Assert.Equal(VaultCancelOutcome.Cancelled, result.Outcome);
        Assert.Equal([$"cancel {Name}", $"wait {Name} 00:00:30"], standIn.Calls);
    }

    private static void AssertServedOver(LifecycleRoute route, VaultCallInfo? call)
    {
        Assert.NotNull(call);
        Assert.Equal(route == LifecycleRoute.Grpc ? Transport.Grpc : Transport.Rest, call.Transport);
        Assert.Equal(route == LifecycleRoute.Grpc, call.Fallback == FallbackReason.None);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var bound = new CancellationTokenSource(LifecycleBed.Bound);
        while (!condition())
        {
            await Task.Delay(5, bound.Token);
        }
    }

    private sealed class CancelWaitStandIn(Operation final) : VaultOperationsClient
    {
        public List<string> Calls { get; } = [];

        public override Task<VaultCallInfo> CancelAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        {
            Calls.Add($"cancel {name}");
            return Task.FromResult(new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 1));
        }

        public override Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan? waitTimeout = null, CancellationToken cancellationToken = default)
        {
            Calls.Add($"wait {name} {waitTimeout}");
            return Task.FromResult(new VaultResponse<Operation>(final, new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 1)));
        }
    }
}
