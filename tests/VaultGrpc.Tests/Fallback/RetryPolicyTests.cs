using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using VaultGrpc.Internal;
using VaultGrpc.Internal.Retry;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.Fallback;

public sealed class RetryPolicyTests : InvokerTestBed
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
    public async Task Invoke_UnavailableTwiceThenOk_SucceedsOnThirdAttempt()
    {
        int calls = 0;
        GrpcSide.Behaviour = (_, name, _) => ++calls <= 2 ? throw Failures.Answered(StatusCode.Unavailable) : Task.FromResult(new Operation { Name = name });
        using OperationsInvoker invoker = CreateInvoker();

        VaultResponse<Operation> response = await Time.DriveAsync(GetAsync(invoker, timeout: null), Step, TimeSpan.FromSeconds(10));

        Assert.Equal(3, response.Call.Attempts);
        Assert.Equal(Transport.Grpc, response.Call.Transport);
        Assert.Equal(0, RestSide.TotalCalls);
    }

    [Fact]
    public async Task Invoke_AlwaysUnavailable_StopsAfterFiveAttemptsWithLastError()
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.Answered(StatusCode.Unavailable, "still down");
        using OperationsInvoker invoker = CreateInvoker(o => o.DefaultTimeout = TimeSpan.FromMinutes(5));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Time.DriveAsync(GetAsync(invoker, timeout: null), Step, TimeSpan.FromMinutes(1)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("still down", error.Status.Detail);
        Assert.Equal(5, GrpcSide.Calls(RpcMethod.Get));
    }

    [Theory]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.ResourceExhausted)]
    public async Task Invoke_NonRetryableCode_SingleAttempt(StatusCode code)
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.Answered(code);
        using OperationsInvoker invoker = CreateInvoker();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => GetAsync(invoker, timeout: null));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(1, GrpcSide.TotalCalls);
    }

    [Fact]
    public async Task Invoke_NextDelayWouldPassDeadline_StopsWithLastErrorNotDeadlineExceeded()
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.Answered(StatusCode.Unavailable);
        using OperationsInvoker invoker = CreateInvoker(o => o.Retry.UseJitter = false);

        // 1.2 s allows the 500 ms delay but not the next 1 s one.
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Time.DriveAsync(GetAsync(invoker, TimeSpan.FromSeconds(1.2)), Step, TimeSpan.FromSeconds(10)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(2, GrpcSide.TotalCalls);
    }

    [Fact]
    public async Task Invoke_CustomRetryableCodes_RetriesThem()
    {
        int calls = 0;
        GrpcSide.Behaviour = (_, name, _) => ++calls == 1 ? throw Failures.Answered(StatusCode.Aborted) : Task.FromResult(new Operation { Name = name });
        using OperationsInvoker invoker = CreateInvoker(o => o.Retry.RetryableStatusCodes = new HashSet<StatusCode> { StatusCode.Aborted });

        VaultResponse<Operation> response = await Time.DriveAsync(GetAsync(invoker, timeout: null), Step, TimeSpan.FromSeconds(10));

        Assert.Equal(2, response.Call.Attempts);
    }

    [Fact]
    public async Task Invoke_RetryAfterFallback_StaysOnRest()
    {
        GrpcSide.Behaviour = (_, _, _) => throw Failures.NotServed(FallbackReason.GrpcUnimplemented);
        int restCalls = 0;
        RestSide.Behaviour = (_, name, _) => ++restCalls == 1 ? throw Failures.Answered(StatusCode.Unavailable) : Task.FromResult(new Operation { Name = name });
        using OperationsInvoker invoker = CreateInvoker();

        VaultResponse<Operation> response = await Time.DriveAsync(GetAsync(invoker, timeout: null), Step, TimeSpan.FromSeconds(10));

        Assert.Equal(new VaultCallInfo(Transport.Rest, FallbackReason.StickyRest, response.Call.FallbackDetail, 2), response.Call);
        Assert.Equal(1, GrpcSide.TotalCalls);
        Assert.Equal(2, RestSide.TotalCalls);
    }

    [Fact]
    public async Task Invoke_CallerCancelsDuringBackoff_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        GrpcSide.Behaviour = (_, _, _) =>
        {
            cts.CancelAfter(TimeSpan.FromMilliseconds(20));
            throw Failures.Answered(StatusCode.Unavailable);
        };
        using OperationsInvoker invoker = CreateInvoker();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => GetAsync(invoker, timeout: null, cts.Token));

        Assert.Equal(1, GrpcSide.TotalCalls);
    }

    [Fact]
    public async Task Invoke_DeadlinePassedBeforeAttempt_DeadlineExceededWithoutIo()
    {
        GrpcSide.Behaviour = (_, name, _) =>
        {
            Time.Advance(TimeSpan.FromSeconds(2));
            throw Failures.Answered(StatusCode.Unavailable);
        };
        using OperationsInvoker invoker = CreateInvoker(o =>
        {
            o.Retry.InitialBackoff = TimeSpan.FromMilliseconds(1);
            o.Retry.UseJitter = false;
        });

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => GetAsync(invoker, TimeSpan.FromSeconds(1)));

        // The first attempt used up the deadline while failing: no delay fits, so its error stands.
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(1, GrpcSide.TotalCalls);
    }

    private static Task<VaultResponse<Operation>> GetAsync(OperationsInvoker invoker, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        invoker.InvokeAsync(RpcMethod.Get, "operations/op-1", static (t, n, s) => t.GetAsync(n, s), timeout, cancellationToken);
}
