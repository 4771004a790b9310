using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.Internal;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.Fallback;

public sealed class OperationWaiterTests : InvokerTestBed
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task Wait_WaitOperationServed_ReturnsDoneFromGrpcWithoutPolling()
    {
        using OperationsInvoker invoker = CreateInvoker();

        VaultResponse<Operation> response = await invoker.WaitAsync("operations/w", TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.True(response.Value.Done);
        Assert.Equal(1, GrpcSide.Calls(RpcMethod.Wait));
        Assert.Equal(0, GrpcSide.Calls(RpcMethod.Get));
    }

    [Fact]
    public async Task Wait_ServerReturnsEarlyNotDone_CallsWaitOperationAgain()
    {
        int waits = 0;
        GrpcSide.Behaviour = (method, name, _) => Task.FromResult(new Operation { Name = name, Done = method == RpcMethod.Wait && ++waits == 3 });
        using OperationsInvoker invoker = CreateInvoker();

        VaultResponse<Operation> response = await Time.DriveAsync(invoker.WaitAsync("operations/w", TimeSpan.FromMinutes(1), CancellationToken.None), Step, TimeSpan.FromMinutes(1));

        Assert.True(response.Value.Done);
        Assert.Equal(3, GrpcSide.Calls(RpcMethod.Wait));
    }

    [Fact]
    public async Task Wait_ServerAlwaysAnswersAtOnceNotDone_BacksOffInsteadOfLooping()
    {
        GrpcSide.Behaviour = (_, name, _) => Task.FromResult(new Operation { Name = name, Done = false });
        using OperationsInvoker invoker = CreateInvoker();

        VaultResponse<Operation> response = await Time.DriveAsync(invoker.WaitAsync("operations/w", TimeSpan.FromSeconds(10), CancellationToken.None), Step, TimeSpan.FromMinutes(1));

        // Pauses of 1, 1.5, 2.25 and 3.375 s fit in 10 s: five calls, not thousands.
        Assert.False(response.Value.Done);
        Assert.InRange(GrpcSide.Calls(RpcMethod.Wait), 5, 6);
    }

    [Fact]
    public async Task Wait_HugeWaitTimeout_NoOverflow()
    {
        using OperationsInvoker invoker = CreateInvoker();

        VaultResponse<Operation> response = await invoker.WaitAsync("operations/w", TimeSpan.MaxValue, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(response.Value.Done);
    }

    [Fact]
    public async Task Wait_AfterWindowRanOut_WaitOperationNeverProbesGetPollDoes()
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.NotServed(FallbackReason.GrpcUnimplemented);
        using OperationsInvoker invoker = CreateInvoker(o => o.StickyRestWindow = TimeSpan.FromMinutes(1));
        await invoker.InvokeAsync(RpcMethod.Get, "operations/w", static (t, n, s) => t.GetAsync(n, s), null, CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(1));

        // A WaitOperation long-poll must not hold the probe: the first Get poll probes instead,
        // finds gRPC still not serving, and renews the window.
        VaultResponse<Operation> response = await invoker.WaitAsync("operations/w", TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Transport.Rest, response.Call.Transport);
        Assert.Equal(0, GrpcSide.Calls(RpcMethod.Wait));
        Assert.Equal(2, GrpcSide.Calls(RpcMethod.Get));
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromMinutes(1), invoker.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task Wait_WaitOperationUnimplemented_PollsGetOverGrpcWithBackoffUntilDone()
    {
        int gets = 0;
        GrpcSide.Behaviour = (method, name, _) => method == RpcMethod.Wait
            ? throw Failures.NotServed(FallbackReason.GrpcUnimplemented)
            : Task.FromResult(new Operation { Name = name, Done = ++gets == 4 });
        using OperationsInvoker invoker = CreateInvoker();
        DateTimeOffset start = Time.GetUtcNow();

        VaultResponse<Operation> response = await Time.DriveAsync(invoker.WaitAsync("operations/w", TimeSpan.FromMinutes(1), CancellationToken.None), Step, TimeSpan.FromMinutes(1));

        Assert.True(response.Value.Done);
        Assert.Equal(Transport.Grpc, response.Call.Transport);
        Assert.Equal(4, GrpcSide.Calls(RpcMethod.Get));
        Assert.Equal(0, RestSide.TotalCalls);
        // Delays 1 s, 1.5 s, 2.25 s between the four polls.
        Assert.InRange(Time.GetUtcNow() - start, TimeSpan.FromSeconds(4.75), TimeSpan.FromSeconds(4.75) + (3 * Step));
        Assert.Null(invoker.TransportStatus.RestStickyUntil);

        // WaitOperation is remembered as missing: the next wait polls straight away.
        await Time.DriveAsync(invoker.WaitAsync("operations/w", TimeSpan.FromMinutes(1), CancellationToken.None), Step, TimeSpan.FromMinutes(1));
        Assert.Equal(1, GrpcSide.Calls(RpcMethod.Wait));
    }

    [Fact]
    public async Task Wait_RestOnly_PollsGetOverRest()
    {
        int gets = 0;
        RestSide.Behaviour = (_, name, _) => Task.FromResult(new Operation { Name = name, Done = ++gets == 2 });
        using OperationsInvoker invoker = CreateInvoker(o => o.TransportMode = TransportMode.RestOnly);

        VaultResponse<Operation> response = await Time.DriveAsync(invoker.WaitAsync("operations/w", TimeSpan.FromMinutes(1), CancellationToken.None), Step, TimeSpan.FromMinutes(1));

        Assert.True(response.Value.Done);
        Assert.Equal(Transport.Rest, response.Call.Transport);
        Assert.Equal(0, GrpcSide.TotalCalls);
    }

    [Fact]
    public async Task Wait_GrpcNotListening_FallsBackToPollingOverRest()
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.NotServed(FallbackReason.GrpcNoConnection);
        using OperationsInvoker invoker = CreateInvoker();

        VaultResponse<Operation> response = await invoker.WaitAsync("operations/w", TimeSpan.FromMinutes(1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(response.Value.Done);
        Assert.Equal(Transport.Rest, response.Call.Transport);
        Assert.Equal(FallbackReason.StickyRest, response.Call.Fallback);
        Assert.Equal(1, GrpcSide.Calls(RpcMethod.Wait));
        Assert.Equal(0, GrpcSide.Calls(RpcMethod.Get));
    }

    [Fact]
    public async Task Wait_NeverDone_ReturnsLatestStateAtWaitTimeout()
    {
        RestSide.Behaviour = (_, name, _) => Task.FromResult(new Operation { Name = name, Done = false });
        using OperationsInvoker invoker = CreateInvoker(o => o.TransportMode = TransportMode.RestOnly);
        DateTimeOffset start = Time.GetUtcNow();

        VaultResponse<Operation> response = await Time.DriveAsync(invoker.WaitAsync("operations/w", TimeSpan.FromSeconds(20), CancellationToken.None), Step, TimeSpan.FromMinutes(2));

        Assert.False(response.Value.Done);
        Assert.InRange(Time.GetUtcNow() - start, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20) + Step);
    }

    [Fact]
    public async Task Wait_ServiceAnswersNotFound_Throws()
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.Answered(StatusCode.NotFound);
        using OperationsInvoker invoker = CreateInvoker();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => invoker.WaitAsync("operations/w", TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(0, RestSide.TotalCalls);
    }

    [Fact]
    public async Task Wait_CallerCancelsWhilePolling_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        RestSide.Behaviour = (_, name, _) =>
        {
            cts.CancelAfter(TimeSpan.FromMilliseconds(20));
            return Task.FromResult(new Operation { Name = name });
        };
        using OperationsInvoker invoker = CreateInvoker(o => o.TransportMode = TransportMode.RestOnly);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invoker.WaitAsync("operations/w", TimeSpan.FromMinutes(1), cts.Token).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Wait_WaitOperationHangs_ReturnsNotDoneHalfASecondAfterTheWaitEnd()
    {
        GrpcSide.Behaviour = (method, name, scope) => method == RpcMethod.Wait ? HangUntilDeadline(scope) : Task.FromResult(new Operation { Name = name, Done = true });
        using OperationsInvoker invoker = CreateInvoker();
        DateTimeOffset start = Time.GetUtcNow();

        VaultResponse<Operation> response = await Time.DriveAsync(invoker.WaitAsync("operations/w", TimeSpan.FromSeconds(4), CancellationToken.None), Step, TimeSpan.FromMinutes(1));

        Assert.False(response.Value.Done);
        Assert.Equal("operations/w", response.Value.Name);
        Assert.Equal(Transport.Grpc, response.Call.Transport);
        Assert.InRange(Time.GetUtcNow() - start, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(4.5) + Step);
        Assert.Equal(0, GrpcSide.Calls(RpcMethod.Get));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Wait_WaitOperationAnswersEarlyThenHangs_ReturnsTheEarlyAnswer()
    {
        var metadata = Any.Pack(new Duration { Seconds = 1 });
        GrpcSide.Behaviour = (_, name, scope) => GrpcSide.Calls(RpcMethod.Wait) == 1
            ? Task.FromResult(new Operation { Name = name, Metadata = metadata })
            : HangUntilDeadline(scope);
        using OperationsInvoker invoker = CreateInvoker();

        VaultResponse<Operation> response = await Time.DriveAsync(invoker.WaitAsync("operations/w", TimeSpan.FromSeconds(10), CancellationToken.None), Step, TimeSpan.FromMinutes(1));

        Assert.False(response.Value.Done);
        Assert.Equal(metadata, response.Value.Metadata);
        Assert.Equal(2, GrpcSide.Calls(RpcMethod.Wait));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Wait_GetPollHangs_ReturnsTheLastPolledStateHalfASecondAfterTheWaitEnd()
    {
        var metadata = Any.Pack(new Duration { Seconds = 2 });
        RestSide.Behaviour = (_, name, scope) => RestSide.Calls(RpcMethod.Get) == 1
            ? Task.FromResult(new Operation { Name = name, Metadata = metadata })
            : HangUntilDeadline(scope);
        using OperationsInvoker invoker = CreateInvoker(o => o.TransportMode = TransportMode.RestOnly);
        DateTimeOffset start = Time.GetUtcNow();

        VaultResponse<Operation> response = await Time.DriveAsync(invoker.WaitAsync("operations/w", TimeSpan.FromSeconds(5), CancellationToken.None), Step, TimeSpan.FromMinutes(1));

        Assert.False(response.Value.Done);
        Assert.Equal(metadata, response.Value.Metadata);
        Assert.Equal(Transport.Rest, response.Call.Transport);
        Assert.InRange(Time.GetUtcNow() - start, TimeSpan.FromSeconds(5.5), TimeSpan.FromSeconds(5.5) + Step);
        Assert.Equal(2, RestSide.Calls(RpcMethod.Get));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Wait_FirstGetPollHangs_ReturnsTheNameAloneNotDone()
    {
        RestSide.Behaviour = (_, _, scope) => HangUntilDeadline(scope);
        using OperationsInvoker invoker = CreateInvoker(o => o.TransportMode = TransportMode.RestOnly);

        VaultResponse<Operation> response = await Time.DriveAsync(invoker.WaitAsync("operations/w", TimeSpan.FromSeconds(3), CancellationToken.None), Step, TimeSpan.FromMinutes(1));

        Assert.Equal(new Operation { Name = "operations/w", Done = false }, response.Value);
        Assert.Equal(Transport.Rest, response.Call.Transport);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Wait_DeadlineExceededBeforeTheWaitEnd_StillFails()
    {
        GrpcSide.Behaviour = (_, _, _) => throw new RpcException(new Status(StatusCode.DeadlineExceeded, "the server's own deadline"));
        using OperationsInvoker invoker = CreateInvoker();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => invoker.WaitAsync("operations/w", TimeSpan.FromMinutes(1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    /// <summary>What a server that never answers looks like from here: nothing until the call's deadline (on the fake clock), then DEADLINE_EXCEEDED.</summary>
    private async Task<Operation> HangUntilDeadline(CallScope scope)
    {
        await Task.Delay(scope.Deadline!.Value - Time.GetUtcNow().UtcDateTime, Time);
        throw new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
    }
}
