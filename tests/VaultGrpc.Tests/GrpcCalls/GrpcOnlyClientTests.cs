using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.Internal.Calls;
using VaultGrpc.Internal.Delivery;
using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.Internal.Telemetry;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.GrpcCalls;

/// <summary>
/// One gRPC call as the client makes it in <see cref="TransportMode.GrpcOnly"/>, over a recording
/// invoker in place of the channel: what the stub is asked to send (method, request, headers,
/// deadline, token), and what the caller sees of each kind of failure the invoker reports.
/// </summary>
[Trait("Category", "Reliability")]
public class GrpcOnlyClientTests
{
    private const string Suffix = "grpc-only-test/1";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task GetAsync_Name_SendsUrlEncodedRequestParamsAndApiClientHeaders()
    {
        var invoker = RecordingCallInvoker.Answering(new Operation { Name = "operations/a b/ü?#%+" });
        using VaultOperationsClient client = ClientOver(invoker);

        await client.GetAsync("operations/a b/ü?#%+").WaitAsync(Bound);

        Metadata headers = Assert.Single(invoker.Calls).Options.Headers!;
        Assert.Equal("name=operations%2Fa%20b%2F%C3%BC%3F%23%25%2B", headers.GetValue("x-goog-request-params"));
        Assert.Equal(ApiClientHeader.Value(Suffix), headers.GetValue("x-goog-api-client"));
    }

    [Fact]
    public async Task ListPageAsync_FilterAndPageSize_RoutesOnTheCollection()
    {
        var invoker = RecordingCallInvoker.Answering(new ListOperationsResponse());
        using VaultOperationsClient client = ClientOver(invoker);

        await client.ListPageAsync(filter: "done=true", pageSize: 5).WaitAsync(Bound);

        var call = Assert.Single(invoker.Calls);
        Assert.Equal("name=operations", call.Options.Headers!.GetValue("x-goog-request-params"));
        Assert.Equal("/google.longrunning.Operations/ListOperations", call.Method);
        var sent = Assert.IsType<ListOperationsRequest>(call.Request);
        Assert.Equal("operations", sent.Name);
        Assert.Equal("done=true", sent.Filter);
        Assert.Equal(5, sent.PageSize);
    }

    [Fact]
    public async Task GetAsync_TimeoutAndToken_PassesDeadlineAndCallerTokenThrough()
    {
        var invoker = RecordingCallInvoker.Answering(new Operation());
        using VaultOperationsClient client = ClientOver(invoker);
        using var caller = new CancellationTokenSource();
        TimeSpan timeout = TimeSpan.FromMinutes(7);

        DateTime before = DateTime.UtcNow;
        await client.GetAsync("operations/x", timeout, caller.Token).WaitAsync(Bound);
        DateTime after = DateTime.UtcNow;

        CallOptions options = Assert.Single(invoker.Calls).Options;
        Assert.InRange(options.Deadline!.Value, before + timeout, after + timeout);
        Assert.Equal(caller.Token, options.CancellationToken);
    }

    [Fact]
    public async Task GetAsync_InfiniteTimeout_SendsNoDeadline()
    {
        var invoker = RecordingCallInvoker.Answering(new Operation());
        using VaultOperationsClient client = ClientOver(invoker);

        await client.GetAsync("operations/x", Timeout.InfiniteTimeSpan).WaitAsync(Bound);

        Assert.Null(Assert.Single(invoker.Calls).Options.Deadline);
    }

    [Fact]
    public async Task EveryRpc_Called_UsesItsOwnMethodAndRequest()
    {
        var invoker = new RecordingCallInvoker(request => Task.FromResult<object>(request switch
        {
            ListOperationsRequest => new ListOperationsResponse(),
            CancelOperationRequest or DeleteOperationRequest => new Empty(),
            _ => new Operation { Done = true },
        }));
        // A clock that stands still, so that the wait asks the server for exactly its timeout.
        using VaultOperationsClient client = ClientOver(invoker, o => o.TimeProvider = FakeTime.Create());

        await client.CancelAsync("operations/c").WaitAsync(Bound);
        await client.GetAsync("operations/g").WaitAsync(Bound);
        await client.DeleteAsync("operations/d").WaitAsync(Bound);
        await client.ListPageAsync().WaitAsync(Bound);
        await client.WaitAsync("operations/w", TimeSpan.FromSeconds(42)).WaitAsync(Bound);

        Assert.Equal(
            ["/google.longrunning.Operations/CancelOperation", "/google.longrunning.Operations/GetOperation", "/google.longrunning.Operations/DeleteOperation", "/google.longrunning.Operations/ListOperations", "/google.longrunning.Operations/WaitOperation"],
            invoker.Calls.Select(c => c.Method));
        Assert.Equal("operations/c", Assert.IsType<CancelOperationRequest>(invoker.Calls[0].Request).Name);
        Assert.Equal("operations/g", Assert.IsType<GetOperationRequest>(invoker.Calls[1].Request).Name);
        Assert.Equal("operations/d", Assert.IsType<DeleteOperationRequest>(invoker.Calls[2].Request).Name);
        Assert.Equal("operations", Assert.IsType<ListOperationsRequest>(invoker.Calls[3].Request).Name);
        var wait = Assert.IsType<WaitOperationRequest>(invoker.Calls[4].Request);
        Assert.Equal("operations/w", wait.Name);
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromSeconds(42)), wait.Timeout);
        Assert.Equal("name=operations%2Fw", invoker.Calls[4].Options.Headers!.GetValue("x-goog-request-params"));
    }

    [Fact]
    public async Task GetAsync_Served_ReportsGrpcInOneAttempt()
    {
        using VaultOperationsClient client = ClientOver(RecordingCallInvoker.Answering(new Operation { Name = "operations/x" }));

        VaultResponse<Operation> response = await client.GetAsync("operations/x").WaitAsync(Bound);

        Assert.Equal(new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 1), response.Call);
    }

    [Fact]
    public async Task GetAsync_ServiceAnswersNotFound_RethrowsTheSameRpcException()
    {
        var answer = new RpcException(new Status(StatusCode.NotFound, "no such operation"));
        using VaultOperationsClient client = ClientOver(RecordingCallInvoker.Failing(answer));

        var thrown = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Same(answer, thrown);
    }

    [Fact]
    public async Task GetAsync_ServiceAnswersUnavailableOnce_RetriesOverGrpc()
    {
        int calls = 0;
        var invoker = new RecordingCallInvoker(_ => Interlocked.Increment(ref calls) == 1
            ? Task.FromException<object>(new RpcException(new Status(StatusCode.Unavailable, "try later")))
            : Task.FromResult<object>(new Operation { Name = "operations/x" }));
        using VaultOperationsClient client = ClientOver(invoker, ShortBackoff);

        VaultResponse<Operation> response = await client.GetAsync("operations/x").WaitAsync(Bound);

        Assert.Equal(2, invoker.Calls.Count);
        Assert.Equal(new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 2), response.Call);
    }

    [Fact]
    public async Task CancelAsync_GatewayAnswers503_RethrowsItWithoutProofOfNonDelivery()
    {
        var failure = new RpcException(new Status(StatusCode.Unavailable, "Bad gRPC response. HTTP status code: 503"));
        using VaultOperationsClient client = ClientOver(RecordingCallInvoker.Failing(failure), o => o.Retry.MaxAttempts = 1);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => client.CancelAsync("operations/x").WaitAsync(Bound));

        Assert.Same(failure, thrown);
        // What Auto would fall back on; a gateway may have forwarded the request first.
        Assert.Equal(new GrpcNotServedVerdict(FallbackReason.GrpcNotServed, RequestMayHaveActed: true), GrpcFailureClassifier.Classify(thrown, callerCancelled: false));
        Assert.False(DeliveryEvidence.ProvesNotDelivered(thrown));
    }

    [Fact]
    public async Task DeleteAsync_GatewayAnswers503_ThrowsOutcomeUnknownWithoutResending()
    {
        var failure = new RpcException(new Status(StatusCode.Unavailable, "Bad gRPC response. HTTP status code: 503"));
        var invoker = RecordingCallInvoker.Failing(failure);
        using VaultOperationsClient client = ClientOver(invoker, ShortBackoff);

        var thrown = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => client.DeleteAsync("operations/x").WaitAsync(Bound));

        Assert.Equal("DeleteOperation", thrown.Method);
        Assert.Equal(StatusCode.Unavailable, thrown.StatusCode);
        Assert.Single(invoker.Calls);
    }

    [Fact]
    public async Task DeleteAsync_Unimplemented_ThrowsItMarkedNotDelivered()
    {
        var failure = new RpcException(new Status(StatusCode.Unimplemented, "Method is unimplemented."));
        using VaultOperationsClient client = ClientOver(RecordingCallInvoker.Failing(failure));

        var thrown = await Assert.ThrowsAsync<RpcException>(() => client.DeleteAsync("operations/x").WaitAsync(Bound));

        Assert.IsNotType<VaultOutcomeUnknownException>(thrown);
        Assert.Equal(StatusCode.Unimplemented, thrown.StatusCode);
        Assert.True(DeliveryEvidence.ProvesNotDelivered(thrown));
    }

    [Fact]
    public async Task WaitAsync_WaitOperationUnimplemented_PollsGetOverGrpc()
    {
        var invoker = new RecordingCallInvoker(request => request is WaitOperationRequest
            ? Task.FromException<object>(new RpcException(new Status(StatusCode.Unimplemented, "Method is unimplemented.")))
            : Task.FromResult<object>(new Operation { Name = "operations/x", Done = true }));
        using VaultOperationsClient client = ClientOver(invoker);

        VaultResponse<Operation> response = await client.WaitAsync("operations/x", TimeSpan.FromSeconds(5)).WaitAsync(Bound);

        Assert.True(response.Value.Done);
        Assert.Equal(Transport.Grpc, response.Call.Transport);
        Assert.Equal(
            ["/google.longrunning.Operations/WaitOperation", "/google.longrunning.Operations/GetOperation"],
            invoker.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task GetAsync_CallerTokenFiredAndGrpcSaysCancelled_ThrowsOperationCanceledWithCallerToken()
    {
        using var caller = new CancellationTokenSource();
        var failure = new RpcException(new Status(StatusCode.Cancelled, "Bad gRPC response. Invalid content-type value: text/html"));
        var invoker = new RecordingCallInvoker(_ =>
        {
            // The caller gives up while the call is in flight; gRPC then reports Cancelled.
            caller.Cancel();
            return Task.FromException<object>(failure);
        });
        using VaultOperationsClient client = ClientOver(invoker);

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync("operations/x", cancellationToken: caller.Token).WaitAsync(Bound));

        Assert.Equal(caller.Token, thrown.CancellationToken);
        Assert.Same(failure, thrown.InnerException);
    }

    [Fact]
    public async Task GetAsync_HtmlAnswerWithoutCallerCancel_ThrowsCancelledMarkedNotDelivered()
    {
        using var caller = new CancellationTokenSource();
        var failure = new RpcException(new Status(StatusCode.Cancelled, "Bad gRPC response. Invalid content-type value: text/html"));
        using VaultOperationsClient client = ClientOver(RecordingCallInvoker.Failing(failure));

        var thrown = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/x", cancellationToken: caller.Token).WaitAsync(Bound));

        // Cancelled, but not the caller's: a proxy's page, which proves gRPC is not served there.
        Assert.Equal(StatusCode.Cancelled, thrown.StatusCode);
        Assert.Equal(new GrpcNotServedVerdict(FallbackReason.GrpcNotServed, RequestMayHaveActed: false), GrpcFailureClassifier.Classify(thrown, callerCancelled: false));
        Assert.True(DeliveryEvidence.ProvesNotDelivered(thrown));
    }

    [Fact]
    public async Task GetAsync_DeadlineExceeded_RethrowsRpcException()
    {
        var failure = new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
        using VaultOperationsClient client = ClientOver(RecordingCallInvoker.Failing(failure));

        var thrown = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Same(failure, thrown);
    }

    [Fact]
    public async Task GetAsync_DeadlineExceededWithoutDetail_SaysWhatWasAwaited()
    {
        var failure = new RpcException(new Status(StatusCode.DeadlineExceeded, string.Empty));
        using VaultOperationsClient client = ClientOver(RecordingCallInvoker.Failing(failure));

        var thrown = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, thrown.StatusCode);
        Assert.Equal("The deadline of gRPC GetOperation to the gRPC endpoint passed while waiting for the answer.", thrown.Status.Detail);
        Assert.Same(failure, thrown.Status.DebugException);
    }

    [Fact]
    public async Task GetAsync_InvokerThrowsCancelledForTheDeadline_ThrowsDeadlineExceeded()
    {
        using VaultOperationsClient client = ClientOver(RecordingCallInvoker.Failing(new TaskCanceledException()));

        var thrown = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, thrown.StatusCode);
    }

    [Fact]
    public async Task DeleteAsync_InvokerThrowsCancelledForTheDeadline_ThrowsOutcomeUnknown()
    {
        // The deadline passed with the request possibly out: as open as DEADLINE_EXCEEDED from gRPC itself.
        using VaultOperationsClient client = ClientOver(RecordingCallInvoker.Failing(new TaskCanceledException()));

        var thrown = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => client.DeleteAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, thrown.StatusCode);
    }

    private static void ShortBackoff(VaultOperationsClientOptions options)
    {
        options.Retry.InitialBackoff = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxBackoff = TimeSpan.FromMilliseconds(2);
    }

    /// <summary>The real client in GrpcOnly mode over <paramref name="grpc"/> in place of its channel.</summary>
    private static VaultOperationsClient ClientOver(CallInvoker grpc, Action<VaultOperationsClientOptions>? configure = null)
    {
        var options = new VaultOperationsClientOptions
        {
            Credentials = VaultCredentials.None,
            TransportMode = TransportMode.GrpcOnly,
            ApiClientSuffix = Suffix,
        };
        configure?.Invoke(options);
        VaultOperationsClientOptions frozen = options.Clone();
        frozen.Validate();
        return new VaultOperationsClientImpl(frozen, new OperationsStack(frozen, grpc, rest: null));
    }
}
