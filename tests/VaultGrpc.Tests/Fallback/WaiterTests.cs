using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.ClientBehaviour;
using VaultGrpc.Tests.Invokers.Fallback;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.Fallback;

/// <summary>
/// WaitAsync through the real client over scripted invokers: WaitOperation over gRPC while gRPC is
/// clear, else Get polls with backoff, and the wait timeout kept whatever the server does.
/// </summary>
public sealed class WaiterTests : ClientTestBed
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task WaitAsync_WaitOperationServed_ReturnsDoneFromGrpcWithoutPolling()
    {
        using VaultOperationsClient client = CreateClient();

        VaultResponse<Operation> response = await client.WaitAsync(OperationName, TimeSpan.FromMinutes(1)).WaitAsync(Bound);

        Assert.True(response.Value.Done);
        Assert.Equal(Transport.Grpc, response.Call.Transport);
        Assert.Equal(1, GrpcSide.Count(Wait));
        Assert.Equal(0, GrpcSide.Count(Get));
    }

    [Fact]
    public async Task WaitAsync_ServerReturnsEarlyNotDone_CallsWaitOperationAgain()
    {
        int waits = 0;
        GrpcSide.Behaviour = (method, _) => Answer(Op(done: method == Wait && ++waits == 3));
        using VaultOperationsClient client = CreateClient();

        VaultResponse<Operation> response = await Time.DriveAsync(client.WaitAsync(OperationName, TimeSpan.FromMinutes(1)), Step, TimeSpan.FromMinutes(1));

        Assert.True(response.Value.Done);
        Assert.Equal(3, GrpcSide.Count(Wait));
        Assert.Equal(0, GrpcSide.Count(Get));
    }

    [Fact]
    public async Task WaitAsync_ServerAlwaysAnswersAtOnceNotDone_BacksOffInsteadOfLooping()
    {
        GrpcSide.Behaviour = (_, _) => Answer(Op(done: false));
        using VaultOperationsClient client = CreateClient();

        VaultResponse<Operation> response = await Time.DriveAsync(client.WaitAsync(OperationName, TimeSpan.FromSeconds(10)), Step, TimeSpan.FromMinutes(1));

        // Pauses of 1, 1.5, 2.25 and 3.375 s fit in 10 s, then one last call at the end: five or six calls, not thousands.
        Assert.False(response.Value.Done);
        Assert.InRange(GrpcSide.Count(Wait), 5, 6);
    }

    [Fact]
    public async Task WaitAsync_HugeWaitTimeout_NoOverflow()
    {
        using VaultOperationsClient client = CreateClient();
        DateTime systemBefore = DateTime.UtcNow;

        VaultResponse<Operation> response = await client.WaitAsync(OperationName, TimeSpan.MaxValue).WaitAsync(Bound);

        DateTime systemAfter = DateTime.UtcNow;
        // One WaitOperation asks for an hour at most, and its deadline is half a second after that.
        Assert.True(response.Value.Done);
        TimeSpan callTimeout = TimeSpan.FromHours(1) + TimeSpan.FromSeconds(0.5);
        Assert.InRange(Assert.Single(GrpcSide.Calls).Options.Deadline!.Value, systemBefore + callTimeout, systemAfter + callTimeout);
    }

    [Fact]
    public async Task WaitAsync_AfterChannelWindowRanOut_WaitOperationNeverProbesGetPollDoes()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.NoConnection());
        using VaultOperationsClient client = CreateClient(o => o.StickyRestWindow = TimeSpan.FromMinutes(1));
        await client.GetAsync(OperationName).WaitAsync(Bound);
        Time.Advance(TimeSpan.FromMinutes(1));

        // A WaitOperation long-poll must not hold the probe: the first Get poll probes instead,
        // finds gRPC still not serving, and renews the window.
        VaultResponse<Operation> response = await client.WaitAsync(OperationName, TimeSpan.FromSeconds(5)).WaitAsync(Bound);

        Assert.Equal(Transport.Rest, response.Call.Transport);
        Assert.Equal(FallbackReason.GrpcNoConnection, response.Call.Fallback);
        Assert.Equal(0, GrpcSide.Count(Wait));
        Assert.Equal(2, GrpcSide.Count(Get));
        Assert.Equal(0, RestWaitCalls);
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromMinutes(1), client.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task WaitAsync_WaitOperationUnimplemented_PollsGetOverGrpcWithBackoffUntilDone()
    {
        int gets = 0;
        GrpcSide.Behaviour = (method, _) => method == Wait
            ? Fail(GrpcFailures.MethodUnimplemented())
            : Answer(Op(done: ++gets == 4));
        using VaultOperationsClient client = CreateClient();
        DateTimeOffset start = Time.GetUtcNow();

        VaultResponse<Operation> response = await Time.DriveAsync(client.WaitAsync(OperationName, TimeSpan.FromMinutes(1)), Step, TimeSpan.FromMinutes(1));

        Assert.True(response.Value.Done);
        Assert.Equal(Transport.Grpc, response.Call.Transport);
        Assert.Equal(4, GrpcSide.Count(Get));
        // The fallback invoker tried WaitOperation on REST too, which has no route for it (no I/O).
        Assert.Equal(1, RestWaitCalls);
        Assert.Equal(0, RestSide.Total);
        // Delays 1 s, 1.5 s, 2.25 s between the four polls.
        Assert.InRange(Time.GetUtcNow() - start, TimeSpan.FromSeconds(4.75), TimeSpan.FromSeconds(4.75) + (3 * Step));
        Assert.Null(client.TransportStatus.RestStickyUntil);

        // WaitOperation is remembered as missing: the next wait polls straight away.
        await Time.DriveAsync(client.WaitAsync(OperationName, TimeSpan.FromMinutes(1)), Step, TimeSpan.FromMinutes(1));
        Assert.Equal(1, GrpcSide.Count(Wait));
        Assert.Equal(1, RestWaitCalls);
    }

    [Fact]
    public async Task WaitAsync_WaitOperationUnimplemented_EachCallIsTracedAsItsOwnMethod()
    {
        GrpcSide.Behaviour = (method, _) => method == Wait ? Fail(GrpcFailures.MethodUnimplemented()) : Answer(Op(done: true));
        using VaultOperationsClient client = CreateClient();
        using var trace = new TraceRecorder(nameof(WaitAsync_WaitOperationUnimplemented_EachCallIsTracedAsItsOwnMethod));

        await client.WaitAsync(OperationName, TimeSpan.FromMinutes(1)).WaitAsync(Bound);

        // The wait is no call of its own: a WaitOperation that failed, then a poll that is a GetOperation.
        Assert.Equal(
            ["google.longrunning.Operations/WaitOperation", "google.longrunning.Operations/GetOperation"],
            trace.Activities.Select(activity => activity.OperationName));
        Assert.Equal(ActivityStatusCode.Error, trace.Activities[0].Status);
        Assert.Equal("grpc", trace.Activities[1].GetTagItem("vaultgrpc.transport"));
    }

    [Fact]
    public async Task WaitAsync_RestOnly_PollsGetOverRest()
    {
        int gets = 0;
        RestSide.Behaviour = (_, _) => Answer(Op(done: ++gets == 2));
        using VaultOperationsClient client = CreateClient(o => o.TransportMode = TransportMode.RestOnly);

        VaultResponse<Operation> response = await Time.DriveAsync(client.WaitAsync(OperationName, TimeSpan.FromMinutes(1)), Step, TimeSpan.FromMinutes(1));

        Assert.True(response.Value.Done);
        Assert.Equal(Transport.Rest, response.Call.Transport);
        Assert.Equal(2, RestSide.Count(Get));
        Assert.Equal(0, RestWaitCalls);
        Assert.Equal(0, GrpcSide.Total);
    }

    [Fact]
    public async Task WaitAsync_GrpcNotListening_FallsBackToPollingOverRest()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.NoConnection());
        using VaultOperationsClient client = CreateClient();

        VaultResponse<Operation> response = await client.WaitAsync(OperationName, TimeSpan.FromMinutes(1)).WaitAsync(Bound);

        // WaitOperation failed on gRPC and, moved by the fallback invoker, found no REST route; the
        // Get poll then went straight to REST within the channel's window.
        Assert.True(response.Value.Done);
        Assert.Equal(Transport.Rest, response.Call.Transport);
        Assert.Equal(FallbackReason.StickyRest, response.Call.Fallback);
        Assert.Equal(1, GrpcSide.Count(Wait));
        Assert.Equal(1, RestWaitCalls);
        Assert.Equal(0, GrpcSide.Count(Get));
        Assert.Equal(1, RestSide.Count(Get));
    }

    [Fact]
    public async Task WaitAsync_GrpcNotListeningThenBack_WaitOperationUsedAgain()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.NoConnection());
        using VaultOperationsClient client = CreateClient(o => o.StickyRestWindow = TimeSpan.FromMinutes(1));
        await client.WaitAsync(OperationName, TimeSpan.FromMinutes(1)).WaitAsync(Bound);
        GrpcSide.Behaviour = (_, _) => Answer(Op(done: true));
        Time.Advance(TimeSpan.FromMinutes(1));
        await client.GetAsync(OperationName).WaitAsync(Bound);

        VaultResponse<Operation> response = await client.WaitAsync(OperationName, TimeSpan.FromMinutes(1)).WaitAsync(Bound);

        // A missing REST route after a transport failure says nothing of gRPC's WaitOperation.
        Assert.Equal(Transport.Grpc, response.Call.Transport);
        Assert.Equal(2, GrpcSide.Count(Wait));
        Assert.Equal(1, RestWaitCalls);
    }

    [Fact]
    public async Task WaitAsync_NeverDone_ReturnsLatestStateAtWaitTimeout()
    {
        RestSide.Behaviour = (_, _) => Answer(Op(done: false));
        using VaultOperationsClient client = CreateClient(o => o.TransportMode = TransportMode.RestOnly);
        DateTimeOffset start = Time.GetUtcNow();

        VaultResponse<Operation> response = await Time.DriveAsync(client.WaitAsync(OperationName, TimeSpan.FromSeconds(20)), Step, TimeSpan.FromMinutes(2));

        Assert.False(response.Value.Done);
        Assert.InRange(Time.GetUtcNow() - start, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20) + Step);
    }

    [Fact]
    public async Task WaitAsync_ServiceAnswersNotFound_Throws()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(Failures.Answered(StatusCode.NotFound));
        using VaultOperationsClient client = CreateClient();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.WaitAsync(OperationName, TimeSpan.FromMinutes(1)).WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(0, RestSide.Total);
        Assert.Equal(0, RestWaitCalls);
    }

    [Fact]
    public async Task WaitAsync_CallerCancelsWhilePolling_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        RestSide.Behaviour = (_, _) =>
        {
            cts.CancelAfter(TimeSpan.FromMilliseconds(20));
            return Answer(Op(done: false));
        };
        using VaultOperationsClient client = CreateClient(o => o.TransportMode = TransportMode.RestOnly);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.WaitAsync(OperationName, TimeSpan.FromMinutes(1), cts.Token).WaitAsync(Bound));

        Assert.Equal(1, RestSide.Count(Get));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task WaitAsync_WaitOperationHangs_ReturnsNotDoneHalfASecondAfterTheWaitEnd()
    {
        GrpcSide.Behaviour = (method, options) => method == Wait ? GrpcHangs(options) : Answer(Op(done: true));
        using VaultOperationsClient client = CreateClient();
        DateTimeOffset start = Time.GetUtcNow();

        VaultResponse<Operation> response = await Time.DriveAsync(client.WaitAsync(OperationName, TimeSpan.FromSeconds(4)), Step, TimeSpan.FromMinutes(1));

        Assert.False(response.Value.Done);
        Assert.Equal(OperationName, response.Value.Name);
        Assert.Equal(Transport.Grpc, response.Call.Transport);
        Assert.InRange(Time.GetUtcNow() - start, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(4.5) + Step);
        Assert.Equal(0, GrpcSide.Count(Get));
        Assert.Equal(0, RestWaitCalls);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task WaitAsync_WaitOperationAnswersEarlyThenHangs_ReturnsTheEarlyAnswer()
    {
        var metadata = Any.Pack(new Duration { Seconds = 1 });
        GrpcSide.Behaviour = (_, options) => GrpcSide.Count(Wait) == 1
            ? Answer(new Operation { Name = OperationName, Metadata = metadata })
            : GrpcHangs(options);
        using VaultOperationsClient client = CreateClient();

        VaultResponse<Operation> response = await Time.DriveAsync(client.WaitAsync(OperationName, TimeSpan.FromSeconds(10)), Step, TimeSpan.FromMinutes(1));

        Assert.False(response.Value.Done);
        Assert.Equal(metadata, response.Value.Metadata);
        Assert.Equal(2, GrpcSide.Count(Wait));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task WaitAsync_GetPollHangs_ReturnsTheLastPolledStateHalfASecondAfterTheWaitEnd()
    {
        var metadata = Any.Pack(new Duration { Seconds = 2 });
        RestSide.Behaviour = (_, options) => RestSide.Count(Get) == 1
            ? Answer(new Operation { Name = OperationName, Metadata = metadata })
            : RestHangs(options);
        using VaultOperationsClient client = CreateClient(o => o.TransportMode = TransportMode.RestOnly);
        DateTimeOffset start = Time.GetUtcNow();

        VaultResponse<Operation> response = await Time.DriveAsync(client.WaitAsync(OperationName, TimeSpan.FromSeconds(5)), Step, TimeSpan.FromMinutes(1));

        Assert.False(response.Value.Done);
        Assert.Equal(metadata, response.Value.Metadata);
        Assert.Equal(Transport.Rest, response.Call.Transport);
        Assert.InRange(Time.GetUtcNow() - start, TimeSpan.FromSeconds(5.5), TimeSpan.FromSeconds(5.5) + Step);
        Assert.Equal(2, RestSide.Count(Get));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task WaitAsync_FirstGetPollHangs_ReturnsTheNameAloneNotDone()
    {
        RestSide.Behaviour = (_, options) => RestHangs(options);
        using VaultOperationsClient client = CreateClient(o => o.TransportMode = TransportMode.RestOnly);

        VaultResponse<Operation> response = await Time.DriveAsync(client.WaitAsync(OperationName, TimeSpan.FromSeconds(3)), Step, TimeSpan.FromMinutes(1));

        Assert.Equal(new Operation { Name = OperationName, Done = false }, response.Value);
        Assert.Equal(Transport.Rest, response.Call.Transport);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task WaitAsync_DeadlineExceededBeforeTheWaitEnd_StillFails()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(new RpcException(new Status(StatusCode.DeadlineExceeded, "the server's own deadline")));
        using VaultOperationsClient client = CreateClient();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.WaitAsync(OperationName, TimeSpan.FromMinutes(1)).WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(0, RestSide.Total);
    }
}
