using Grpc.Core;
using VaultGrpc.Tests.Invokers.Fallback;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.Fallback;

/// <summary>
/// The client's transport policy, through the real client over scripted invokers: when a call
/// moves to REST, how long later calls stay there, the one probe after the window, and what never
/// moves a call. TransportStatus shows the channel's window (transport-level evidence) only.
/// </summary>
public sealed class ClientFallbackPolicyTests : ClientTestBed
{
    [Fact]
    public async Task CancelAsync_GrpcServes_ServedByGrpcWithoutRest()
    {
        using VaultOperationsClient client = CreateClient();

        VaultCallInfo info = await CancelAsync(client);

        Assert.Equal(new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 1), info);
        Assert.Equal(1, GrpcSide.Count(Cancel));
        Assert.Equal(0, RestSide.Total);
    }

    [Theory]
    [InlineData(nameof(GrpcFailures.MethodUnimplemented), FallbackReason.GrpcUnimplemented, false)]
    [InlineData(nameof(GrpcFailures.ServiceUnimplemented), FallbackReason.GrpcUnimplemented, true)]
    [InlineData(nameof(GrpcFailures.NoConnection), FallbackReason.GrpcNoConnection, true)]
    [InlineData(nameof(Failures.NotGrpcAnswer), FallbackReason.GrpcNotServed, true)]
    [InlineData(nameof(GrpcFailures.Gateway503), FallbackReason.GrpcNotServed, true)]
    public async Task CancelAsync_GrpcCannotServe_FallsBackToRestWithReason(string failure, FallbackReason reason, bool aboutTheChannel)
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(Failures.Named(failure));
        using VaultOperationsClient client = CreateClient();

        VaultCallInfo info = await CancelAsync(client);

        Assert.Equal(Transport.Rest, info.Transport);
        Assert.Equal(reason, info.Fallback);
        Assert.False(string.IsNullOrEmpty(info.FallbackDetail));
        Assert.Equal(1, GrpcSide.Count(Cancel));
        Assert.Equal(1, RestSide.Count(Cancel));
        // A gRPC server's UNIMPLEMENTED for one method is remembered for that method, not in the channel's status.
        Assert.Equal(aboutTheChannel ? reason : FallbackReason.None, client.TransportStatus.LastFallback);
        Assert.Equal(aboutTheChannel, client.TransportStatus.RestStickyUntil is not null);
    }

    [Fact]
    public async Task CancelAsync_AfterFallback_GoesStraightToRestWithinWindow()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.ServiceUnimplemented());
        using VaultOperationsClient client = CreateClient(o => o.StickyRestWindow = TimeSpan.FromMinutes(5));

        await CancelAsync(client);
        var later = new List<VaultCallInfo>();
        for (int i = 0; i < 100; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(2));
            later.Add(await CancelAsync(client));
        }

        Assert.Equal(1, GrpcSide.Total);
        Assert.Equal(101, RestSide.Total);
        Assert.All(later, info => Assert.Equal(FallbackReason.StickyRest, info.Fallback));
        Assert.All(later, info => Assert.Contains("Unimplemented", info.FallbackDetail, StringComparison.Ordinal));
        Assert.Equal(Time.GetUtcNow() - TimeSpan.FromSeconds(200) + TimeSpan.FromMinutes(5), client.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task CancelAsync_WindowRanOutUnderConcurrency_ExactlyOneProbe()
    {
        var probeGate = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.NoConnection());
        using VaultOperationsClient client = CreateClient(o => o.StickyRestWindow = TimeSpan.FromMinutes(1));
        await CancelAsync(client);
        Time.Advance(TimeSpan.FromMinutes(1));
        GrpcSide.Behaviour = (_, _) => probeGate.Task;

        Task<VaultCallInfo>[] calls = Enumerable.Range(0, 200).Select(_ => Task.Run(() => CancelAsync(client))).ToArray();
        await WaitUntilAsync(() => RestSide.Total >= 1 + 199);
        probeGate.SetResult(null);
        VaultCallInfo[] infos = await Task.WhenAll(calls).WaitAsync(Bound);

        Assert.Equal(2, GrpcSide.Total);
        Assert.Single(infos, info => info.Transport == Transport.Grpc);
        Assert.Equal(199, infos.Count(info => info.Fallback == FallbackReason.StickyRest));
        Assert.Null(client.TransportStatus.RestStickyUntil);
        Assert.Equal(Transport.Grpc, (await CancelAsync(client)).Transport);
    }

    [Fact]
    public async Task CancelAsync_ProbeStillNotServed_RenewsWindow()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(Failures.NotGrpcAnswer());
        using VaultOperationsClient client = CreateClient(o => o.StickyRestWindow = TimeSpan.FromMinutes(1));
        await CancelAsync(client);
        Time.Advance(TimeSpan.FromMinutes(1));

        VaultCallInfo probe = await CancelAsync(client);
        VaultCallInfo after = await CancelAsync(client);

        Assert.Equal(FallbackReason.GrpcNotServed, probe.Fallback);
        Assert.Equal(FallbackReason.StickyRest, after.Fallback);
        Assert.Equal(2, GrpcSide.Total);
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromMinutes(1), client.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task CancelAsync_ProbeCancelledByItsCaller_NextCallProbesAndWindowUnchanged()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.ServiceUnimplemented());
        using VaultOperationsClient client = CreateClient(o => o.StickyRestWindow = TimeSpan.FromMinutes(1));
        await CancelAsync(client);
        DateTimeOffset? windowEnd = client.TransportStatus.RestStickyUntil;
        Time.Advance(TimeSpan.FromMinutes(1));
        using var cts = new CancellationTokenSource();
        GrpcSide.Behaviour = async (_, _) =>
        {
            // As Grpc.Net.Client reports a call its caller cancelled.
            await cts.CancelAsync();
            throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CancelAsync(client, cts.Token));
        DateTimeOffset? afterCancelledProbe = client.TransportStatus.RestStickyUntil;
        GrpcSide.Behaviour = (_, _) => Answer(null);
        VaultCallInfo next = await CancelAsync(client);

        Assert.NotNull(windowEnd);
        Assert.Equal(windowEnd, afterCancelledProbe);
        Assert.Equal(Transport.Grpc, next.Transport);
        Assert.Null(client.TransportStatus.RestStickyUntil);
        Assert.Equal(1, RestSide.Total);
    }

    [Fact]
    public async Task CancelAsync_HugeStickyWindow_FallsBackWithoutOverflow()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.ServiceUnimplemented());
        using VaultOperationsClient client = CreateClient(o => o.StickyRestWindow = TimeSpan.MaxValue);

        VaultCallInfo first = await CancelAsync(client);
        VaultCallInfo second = await CancelAsync(client);

        Assert.Equal(FallbackReason.GrpcUnimplemented, first.Fallback);
        Assert.Equal(FallbackReason.StickyRest, second.Fallback);
        Assert.Equal(DateTimeOffset.MaxValue, client.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task CancelAsync_ZeroWindow_ProbesGrpcOnTheNextCall()
    {
        int grpcCalls = 0;
        GrpcSide.Behaviour = (_, _) => ++grpcCalls == 1 ? Fail(GrpcFailures.NoConnection()) : Answer(null);
        using VaultOperationsClient client = CreateClient(o => o.StickyRestWindow = TimeSpan.Zero);

        VaultCallInfo first = await CancelAsync(client);
        VaultCallInfo second = await CancelAsync(client);

        Assert.Equal(Transport.Rest, first.Transport);
        Assert.Equal(Transport.Grpc, second.Transport);
        Assert.Null(client.TransportStatus.RestStickyUntil);
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
    public async Task CancelAsync_ServiceAnsweredError_NeverFallsBack(StatusCode code)
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(Failures.Answered(code));
        using VaultOperationsClient client = CreateClient();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => CancelAsync(client));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(0, RestSide.Total);
        Assert.Null(client.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task CancelAsync_NotServedArrivingAfterDeadline_DeadlineExceededWithoutFallbackOrStickiness()
    {
        GrpcSide.Behaviour = (_, _) =>
        {
            Time.Advance(TimeSpan.FromSeconds(11));
            return Fail(Failures.NotGrpcAnswer());
        };
        using VaultOperationsClient client = CreateClient();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => CancelAsync(client));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(0, RestSide.Total);
        Assert.Null(client.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task CancelAsync_GrpcOnlyAndNotServed_SurfacesOriginalRpcException()
    {
        RpcException noConnection = GrpcFailures.NoConnection();
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(noConnection);
        using VaultOperationsClient client = CreateClient(o => o.TransportMode = TransportMode.GrpcOnly);

        Task<VaultCallInfo> call = CancelAsync(client);
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Time.DriveAsync(call, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30)));

        // Unavailable is retried like any answer of that code: 5 attempts, then the original error.
        Assert.Same(noConnection, error);
        Assert.Equal(5, GrpcSide.Count(Cancel));
        Assert.Equal(0, RestSide.Total);
    }

    [Fact]
    public async Task CancelAsync_RestOnly_NeverTriesGrpc()
    {
        using VaultOperationsClient client = CreateClient(o => o.TransportMode = TransportMode.RestOnly);

        VaultCallInfo info = await CancelAsync(client);

        Assert.Equal(new VaultCallInfo(Transport.Rest, FallbackReason.None, null, 1), info);
        Assert.Equal(1, RestSide.Count(Cancel));
        Assert.Equal(0, GrpcSide.Total);
    }

    [Fact]
    public async Task CancelAsync_CallerCancelledDuringGrpc_ThrowsOperationCanceledAndKeepsNoVerdict()
    {
        using var cts = new CancellationTokenSource();
        GrpcSide.Behaviour = async (_, _) =>
        {
            await cts.CancelAsync();
            throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
        };
        using VaultOperationsClient client = CreateClient();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CancelAsync(client, cts.Token));

        Assert.Equal(0, RestSide.Total);
        Assert.Null(client.TransportStatus.RestStickyUntil);
    }

    [Fact]
    public async Task GetAsync_Timeout_EachTransportGetsTheDeadlineOnItsClock()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.NoConnection());
        using VaultOperationsClient client = CreateClient();
        DateTime systemBefore = DateTime.UtcNow;

        VaultResponse<LongRunning.Operation> response = await client.GetAsync(OperationName, TimeSpan.FromSeconds(3)).WaitAsync(Bound);

        DateTime systemAfter = DateTime.UtcNow;
        // REST gets the client's deadline as it is (fake clock); gRPC the same time left on the
        // system clock, which Grpc.Net.Client measures deadlines on.
        Assert.Equal(Transport.Rest, response.Call.Transport);
        Assert.Equal(Time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(3), Assert.Single(RestSide.Calls).Options.Deadline);
        DateTime grpcDeadline = Assert.Single(GrpcSide.Calls).Options.Deadline!.Value;
        Assert.InRange(grpcDeadline, systemBefore + TimeSpan.FromSeconds(3), systemAfter + TimeSpan.FromSeconds(3));
    }

    private static Task<VaultCallInfo> CancelAsync(VaultOperationsClient client, CancellationToken cancellationToken = default) =>
        client.CancelAsync(OperationName, cancellationToken: cancellationToken).WaitAsync(Bound);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
