using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using VaultGrpc.Internal.Retry;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.Invokers.Fallback;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.Fallback;

/// <summary>The retry policy, alone and as the client runs it around each attempt over scripted invokers.</summary>
public sealed class RetryPolicyTests : ClientTestBed
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void BackoffBeforeJitter_Defaults_DoublesFrom500MsUpTo10s()
    {
        var policy = new RetryPolicy(new VaultRetrySettings(), Time, NullLogger.Instance);

        double[] delays = Enumerable.Range(0, 7).Select(n => policy.BackoffBeforeJitter(n).TotalMilliseconds).ToArray();

        Assert.Equal([500, 1000, 2000, 4000, 8000, 10000, 10000], delays);
    }

    [Fact]
    public async Task GetAsync_UnavailableTwiceThenOk_SucceedsOnThirdAttempt()
    {
        int calls = 0;
        GrpcSide.Behaviour = (_, _) => ++calls <= 2 ? Fail(Failures.Answered(StatusCode.Unavailable)) : Answer(Op(done: true));
        using VaultOperationsClient client = CreateClient();

        VaultResponse<Operation> response = await Time.DriveAsync(GetAsync(client, timeout: null), Step, TimeSpan.FromSeconds(10));

        Assert.Equal(3, response.Call.Attempts);
        Assert.Equal(Transport.Grpc, response.Call.Transport);
        Assert.Equal(0, RestSide.Total);
    }

    [Fact]
    public async Task GetAsync_AlwaysUnavailable_StopsAfterFiveAttemptsWithLastError()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(Failures.Answered(StatusCode.Unavailable, "still down"));
        using VaultOperationsClient client = CreateClient(o => o.DefaultTimeout = TimeSpan.FromMinutes(5));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Time.DriveAsync(GetAsync(client, timeout: null), Step, TimeSpan.FromMinutes(1)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("still down", error.Status.Detail);
        Assert.Equal(5, GrpcSide.Count(Get));
        Assert.Equal(0, RestSide.Total);
    }

    [Theory]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.ResourceExhausted)]
    public async Task GetAsync_NonRetryableCode_SingleAttempt(StatusCode code)
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(Failures.Answered(code));
        using VaultOperationsClient client = CreateClient();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client, timeout: null));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(1, GrpcSide.Total);
    }

    [Fact]
    public async Task GetAsync_NextDelayWouldPassDeadline_StopsWithLastErrorNotDeadlineExceeded()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(Failures.Answered(StatusCode.Unavailable));
        using VaultOperationsClient client = CreateClient(o => o.Retry.UseJitter = false);

        // 1.2 s allows the 500 ms delay but not the next 1 s one.
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Time.DriveAsync(GetAsync(client, TimeSpan.FromSeconds(1.2)), Step, TimeSpan.FromSeconds(10)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(2, GrpcSide.Total);
    }

    [Fact]
    public async Task GetAsync_CustomRetryableCodes_RetriesThem()
    {
        int calls = 0;
        GrpcSide.Behaviour = (_, _) => ++calls == 1 ? Fail(Failures.Answered(StatusCode.Aborted)) : Answer(Op(done: true));
        using VaultOperationsClient client = CreateClient(o => o.Retry.RetryableStatusCodes = new HashSet<StatusCode> { StatusCode.Aborted });

        VaultResponse<Operation> response = await Time.DriveAsync(GetAsync(client, timeout: null), Step, TimeSpan.FromSeconds(10));

        Assert.Equal(2, response.Call.Attempts);
    }

    [Fact]
    public async Task GetAsync_RetryAfterFallback_StaysOnRest()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.MethodUnimplemented());
        int restCalls = 0;
        RestSide.Behaviour = (_, _) => ++restCalls == 1 ? Fail(Failures.Answered(StatusCode.Unavailable)) : Answer(Op(done: true));
        using VaultOperationsClient client = CreateClient();

        VaultResponse<Operation> response = await Time.DriveAsync(GetAsync(client, timeout: null), Step, TimeSpan.FromSeconds(10));

        Assert.Equal(new VaultCallInfo(Transport.Rest, FallbackReason.StickyRest, response.Call.FallbackDetail, 2), response.Call);
        Assert.Contains("Method is unimplemented.", response.Call.FallbackDetail, StringComparison.Ordinal);
        Assert.Equal(1, GrpcSide.Total);
        Assert.Equal(2, RestSide.Total);
    }

    [Fact]
    public async Task GetAsync_CallerCancelsDuringBackoff_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        GrpcSide.Behaviour = (_, _) =>
        {
            cts.CancelAfter(TimeSpan.FromMilliseconds(20));
            return Fail(Failures.Answered(StatusCode.Unavailable));
        };
        using VaultOperationsClient client = CreateClient();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => GetAsync(client, timeout: null, cts.Token));

        Assert.Equal(1, GrpcSide.Total);
    }

    [Fact]
    public async Task GetAsync_DeadlinePassedBeforeAttempt_DeadlineExceededWithoutIo()
    {
        GrpcSide.Behaviour = (_, _) =>
        {
            Time.Advance(TimeSpan.FromSeconds(2));
            return Fail(Failures.Answered(StatusCode.Unavailable));
        };
        using VaultOperationsClient client = CreateClient(o =>
        {
            o.Retry.InitialBackoff = TimeSpan.FromMilliseconds(1);
            o.Retry.UseJitter = false;
        });

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client, TimeSpan.FromSeconds(1)));

        // The first attempt used up the deadline while failing: no delay fits, so its error stands.
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(1, GrpcSide.Total);
    }

    private static Task<VaultResponse<Operation>> GetAsync(VaultOperationsClient client, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        client.GetAsync(OperationName, timeout, cancellationToken).WaitAsync(Bound);
}
