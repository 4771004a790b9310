using Grpc.Core;
using VaultGrpc.Internal;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.Fallback;

public sealed class OperationsInvokerFallbackTests : InvokerTestBed
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Invoke_GrpcServes_ServedByGrpcWithoutRest()
    {
        using OperationsInvoker invoker = CreateInvoker();

        VaultCallInfo info = await CancelAsync(invoker);

        Assert.Equal(new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 1), info);
        Assert.Equal(0, RestSide.TotalCalls);
    }

    [Theory]
    [InlineData(FallbackReason.GrpcUnimplemented)]
    [InlineData(FallbackReason.GrpcNoConnection)]
    [InlineData(FallbackReason.GrpcNotServed)]
    public async Task Invoke_GrpcCannotServe_FallsBackToRestWithReason(FallbackReason reason)
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.NotServed(reason);
        using OperationsInvoker invoker = CreateInvoker();

        VaultCallInfo info = await CancelAsync(invoker);

        Assert.Equal(Transport.Rest, info.Transport);
        Assert.Equal(reason, info.Fallback);
        Assert.False(string.IsNullOrEmpty(info.FallbackDetail));
        Assert.Equal(1, GrpcSide.Calls(RpcMethod.Cancel));
        Assert.Equal(1, RestSide.Calls(RpcMethod.Cancel));
        Assert.Equal(reason, invoker.TransportStatus.LastFallback);
    }

    [Fact]
    public async Task Invoke_AfterFallback_GoesStraightToRestWithinWindow()
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.NotServed(FallbackReason.GrpcUnimplemented);
        using OperationsInvoker invoker = CreateInvoker(o => o.StickyRestWindow = TimeSpan.FromMinutes(5));

        await CancelAsync(invoker);
        var later = new List<VaultCallInfo>();
        for (int i = 0; i < 100; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(2));
            later.Add(await CancelAsync(invoker));
        }

        Assert.Equal(1, GrpcSide.TotalCalls);
        Assert.Equal(101, RestSide.TotalCalls);
        Assert.All(later, info => Assert.Equal(FallbackReason.StickyRest, info.Fallback));
        Assert.All(later, info => Assert.Contains("Unimplemented", info.FallbackDetail, StringComparison.Ordinal));
        Assert.Equal(Time.GetUtcNow() - TimeSpan.FromSeconds(200) + TimeSpan.FromMinutes(5), invoker.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task Invoke_WindowRanOutUnderConcurrency_ExactlyOneProbe()
    {
        var probeGate = new TaskCompletionSource<Operation>(TaskCreationOptions.RunContinuationsAsynchronously);
        GrpcSide.Behaviour = (_, _, _) => throw Failures.NotServed(FallbackReason.GrpcNoConnection);
        using OperationsInvoker invoker = CreateInvoker(o => o.StickyRestWindow = TimeSpan.FromMinutes(1));
        await CancelAsync(invoker);
        Time.Advance(TimeSpan.FromMinutes(1));
        GrpcSide.Behaviour = (_, _, _) => probeGate.Task;

        Task<VaultCallInfo>[] calls = Enumerable.Range(0, 200).Select(_ => Task.Run(() => CancelAsync(invoker))).ToArray();
        await WaitUntilAsync(() => RestSide.TotalCalls >= 1 + 199);
        probeGate.SetResult(new Operation());
        VaultCallInfo[] infos = await Task.WhenAll(calls).WaitAsync(TestTimeout);

        Assert.Equal(2, GrpcSide.TotalCalls);
        Assert.Single(infos, info => info.Transport == Transport.Grpc);
        Assert.Equal(199, infos.Count(info => info.Fallback == FallbackReason.StickyRest));
        Assert.Null(invoker.TransportStatus.RestStickyUntil);
        Assert.Equal(Transport.Grpc, (await CancelAsync(invoker)).Transport);
    }

    [Fact]
    public async Task Invoke_ProbeStillNotServed_RenewsWindow()
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.NotServed(FallbackReason.GrpcNotServed);
        using OperationsInvoker invoker = CreateInvoker(o => o.StickyRestWindow = TimeSpan.FromMinutes(1));
        await CancelAsync(invoker);
        Time.Advance(TimeSpan.FromMinutes(1));

        VaultCallInfo probe = await CancelAsync(invoker);
        VaultCallInfo after = await CancelAsync(invoker);

        Assert.Equal(FallbackReason.GrpcNotServed, probe.Fallback);
        Assert.Equal(FallbackReason.StickyRest, after.Fallback);
        Assert.Equal(2, GrpcSide.TotalCalls);
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromMinutes(1), invoker.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task Invoke_ProbeCancelledByItsCaller_NextCallProbesAndWindowUnchanged()
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.NotServed(FallbackReason.GrpcUnimplemented);
        using OperationsInvoker invoker = CreateInvoker(o => o.StickyRestWindow = TimeSpan.FromMinutes(1));
        await CancelAsync(invoker);
        DateTimeOffset? windowEnd = invoker.TransportStatus.RestStickyUntil;
        Time.Advance(TimeSpan.FromMinutes(1));
        using var cts = new CancellationTokenSource();
        GrpcSide.Behaviour = async (_, _, scope) =>
        {
            await cts.CancelAsync();
            scope.CancellationToken.ThrowIfCancellationRequested();
            return new Operation();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CancelAsync(invoker, cts.Token));
        DateTimeOffset? afterCancelledProbe = invoker.TransportStatus.RestStickyUntil;
        GrpcSide.Behaviour = (_, name, _) => Task.FromResult(new Operation { Name = name });
        VaultCallInfo next = await CancelAsync(invoker);

        Assert.Equal(windowEnd, afterCancelledProbe);
        Assert.Equal(Transport.Grpc, next.Transport);
        Assert.Null(invoker.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task Invoke_HugeStickyWindow_FallsBackWithoutOverflow()
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.NotServed(FallbackReason.GrpcUnimplemented);
        using OperationsInvoker invoker = CreateInvoker(o => o.StickyRestWindow = TimeSpan.MaxValue);

        VaultCallInfo first = await CancelAsync(invoker);
        VaultCallInfo second = await CancelAsync(invoker);

        Assert.Equal(FallbackReason.GrpcUnimplemented, first.Fallback);
        Assert.Equal(FallbackReason.StickyRest, second.Fallback);
        Assert.Equal(DateTimeOffset.MaxValue, invoker.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task Invoke_ZeroWindow_ProbesGrpcOnTheNextCall()
    {
        int grpcCalls = 0;
        GrpcSide.Behaviour = (_, name, _) => ++grpcCalls == 1
            ? throw Failures.NotServed(FallbackReason.GrpcNoConnection)
            : Task.FromResult(new Operation { Name = name });
        using OperationsInvoker invoker = CreateInvoker(o => o.StickyRestWindow = TimeSpan.Zero);

        VaultCallInfo first = await CancelAsync(invoker);
        VaultCallInfo second = await CancelAsync(invoker);

        Assert.Equal(Transport.Rest, first.Transport);
        Assert.Equal(Transport.Grpc, second.Transport);
    }

    [Theory]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.FailedPrecondition)]
    [InlineData(StatusCode.Aborted)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Cancelled)]
    [InlineData(StatusCode.Internal)]
    public async Task Invoke_ServiceAnsweredError_NeverFallsBack(StatusCode code)
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.Answered(code);
        using OperationsInvoker invoker = CreateInvoker();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => CancelAsync(invoker));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(0, RestSide.TotalCalls);
        Assert.Null(invoker.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task Invoke_NotServedArrivingAfterDeadline_DeadlineExceededWithoutFallbackOrStickiness()
    {
        GrpcSide.Behaviour = (_, _, _) =>
        {
            Time.Advance(TimeSpan.FromSeconds(11));
            throw Failures.NotServed(FallbackReason.GrpcNotServed);
        };
        using OperationsInvoker invoker = CreateInvoker();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => CancelAsync(invoker));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(0, RestSide.TotalCalls);
        Assert.Null(invoker.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task Invoke_GrpcOnlyAndNotServed_SurfacesOriginalRpcException()
    {
        GrpcNotServedException notServed = Failures.NotServed(FallbackReason.GrpcNoConnection);
        GrpcSide.Behaviour = (_, _, _) => throw notServed;
        using OperationsInvoker invoker = CreateInvoker(o => o.TransportMode = TransportMode.GrpcOnly);

        Task<VaultCallInfo> call = CancelAsync(invoker);
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Time.DriveAsync(call, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30)));

        // Unavailable is retried like any answer of that code: 5 attempts, then the original error.
        Assert.Same(notServed.RpcException, error);
        Assert.Equal(5, GrpcSide.Calls(RpcMethod.Cancel));
        Assert.Equal(0, RestSide.TotalCalls);
    }

    [Fact]
    public async Task Invoke_RestOnly_NeverTriesGrpc()
    {
        using OperationsInvoker invoker = CreateInvoker(o => o.TransportMode = TransportMode.RestOnly);

        VaultCallInfo info = await CancelAsync(invoker);

        Assert.Equal(new VaultCallInfo(Transport.Rest, FallbackReason.None, null, 1), info);
        Assert.Equal(0, GrpcSide.TotalCalls);
    }

    [Fact]
    public async Task Invoke_CallerCancelledDuringGrpc_ThrowsOperationCanceledAndKeepsNoVerdict()
    {
        using var cts = new CancellationTokenSource();
        GrpcSide.Behaviour = async (_, _, scope) =>
        {
            await cts.CancelAsync();
            scope.CancellationToken.ThrowIfCancellationRequested();
            return new Operation();
        };
        using OperationsInvoker invoker = CreateInvoker();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CancelAsync(invoker, cts.Token));

        Assert.Equal(0, RestSide.TotalCalls);
        Assert.Null(invoker.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task Invoke_Timeout_PassesDeadlineToTransport()
    {
        using OperationsInvoker invoker = CreateInvoker();

        await invoker.InvokeAsync(RpcMethod.Get, "operations/a", static (t, n, s) => t.GetAsync(n, s), TimeSpan.FromSeconds(3), CancellationToken.None);

        Assert.Equal(Time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(3), Assert.Single(GrpcSide.Scopes).Deadline);
    }

    private static Task<VaultCallInfo> CancelAsync(OperationsInvoker invoker, CancellationToken cancellationToken = default) =>
        invoker.InvokeAsync(RpcMethod.Cancel, "operations/op-1", static (t, n, s) => t.CancelAsync(n, s), null, cancellationToken).WaitAsync(TestTimeout);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
