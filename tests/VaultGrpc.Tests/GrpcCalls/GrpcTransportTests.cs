using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.Internal;
using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.GrpcCalls;

public class GrpcTransportTests
{
    private const string ApiClient = "gl-dotnet/10.0 gccl/1.0.0 grpc/2.85.0";

    private static readonly CallScope NoLimits = new(null, CancellationToken.None);

    [Fact]
    public async Task GetAsync_Name_SendsUrlEncodedRequestParamsAndApiClientHeaders()
    {
        var invoker = RecordingCallInvoker.Answering(new Operation { Name = "operations/a b/ü?#%+" });
        using var transport = new GrpcTransport(invoker, ApiClient);

        await transport.GetAsync("operations/a b/ü?#%+", NoLimits).WaitAsync(TimeSpan.FromSeconds(10));

        Metadata headers = Assert.Single(invoker.Calls).Options.Headers!;
        Assert.Equal("name=operations%2Fa%20b%2F%C3%BC%3F%23%25%2B", headers.GetValue("x-goog-request-params"));
        Assert.Equal(ApiClient, headers.GetValue("x-goog-api-client"));
    }

    [Fact]
    public async Task ListAsync_RequestWithoutName_RoutesOnTheCollection()
    {
        var invoker = RecordingCallInvoker.Answering(new ListOperationsResponse());
        using var transport = new GrpcTransport(invoker, ApiClient);

        await transport.ListAsync(new ListOperationsRequest { Filter = "done=true", PageSize = 5 }, NoLimits).WaitAsync(TimeSpan.FromSeconds(10));

        var call = Assert.Single(invoker.Calls);
        Assert.Equal("name=operations", call.Options.Headers!.GetValue("x-goog-request-params"));
        Assert.Equal("/google.longrunning.Operations/ListOperations", call.Method);
        var sent = Assert.IsType<ListOperationsRequest>(call.Request);
        Assert.Equal("done=true", sent.Filter);
        Assert.Equal(5, sent.PageSize);
    }

    [Fact]
    public async Task GetAsync_Scope_PassesDeadlineAndCallerTokenThrough()
    {
        var invoker = RecordingCallInvoker.Answering(new Operation());
        using var transport = new GrpcTransport(invoker, ApiClient);
        using var caller = new CancellationTokenSource();
        var deadline = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        await transport.GetAsync("operations/x", new CallScope(deadline, caller.Token)).WaitAsync(TimeSpan.FromSeconds(10));

        CallOptions options = Assert.Single(invoker.Calls).Options;
        Assert.Equal(deadline, options.Deadline);
        Assert.Equal(caller.Token, options.CancellationToken);
    }

    [Fact]
    public async Task GetAsync_NoDeadline_SendsNone()
    {
        var invoker = RecordingCallInvoker.Answering(new Operation());
        using var transport = new GrpcTransport(invoker, ApiClient);

        await transport.GetAsync("operations/x", NoLimits).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(Assert.Single(invoker.Calls).Options.Deadline);
    }

    [Fact]
    public async Task EveryRpc_Called_UsesItsOwnMethodAndRequest()
    {
        var invoker = new RecordingCallInvoker(request => Task.FromResult<object>(request switch
        {
            ListOperationsRequest => new ListOperationsResponse(),
            CancelOperationRequest or DeleteOperationRequest => new Empty(),
            _ => new Operation(),
        }));
        using var transport = new GrpcTransport(invoker, ApiClient);

        await transport.CancelAsync("operations/c", NoLimits).WaitAsync(TimeSpan.FromSeconds(10));
        await transport.GetAsync("operations/g", NoLimits).WaitAsync(TimeSpan.FromSeconds(10));
        await transport.DeleteAsync("operations/d", NoLimits).WaitAsync(TimeSpan.FromSeconds(10));
        await transport.WaitAsync("operations/w", TimeSpan.FromSeconds(42), NoLimits).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(
            ["/google.longrunning.Operations/CancelOperation", "/google.longrunning.Operations/GetOperation", "/google.longrunning.Operations/DeleteOperation", "/google.longrunning.Operations/WaitOperation"],
            invoker.Calls.Select(c => c.Method));
        Assert.Equal("operations/c", Assert.IsType<CancelOperationRequest>(invoker.Calls[0].Request).Name);
        Assert.Equal("operations/g", Assert.IsType<GetOperationRequest>(invoker.Calls[1].Request).Name);
        Assert.Equal("operations/d", Assert.IsType<DeleteOperationRequest>(invoker.Calls[2].Request).Name);
        var wait = Assert.IsType<WaitOperationRequest>(invoker.Calls[3].Request);
        Assert.Equal("operations/w", wait.Name);
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromSeconds(42)), wait.Timeout);
        Assert.Equal("name=operations%2Fw", invoker.Calls[3].Options.Headers!.GetValue("x-goog-request-params"));
    }

    [Fact]
    public async Task GetAsync_ServiceAnswersNotFound_RethrowsTheSameRpcException()
    {
        var answer = new RpcException(new Status(StatusCode.NotFound, "no such operation"));
        using var transport = new GrpcTransport(RecordingCallInvoker.Failing(answer), ApiClient);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => transport.GetAsync("operations/x", NoLimits).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Same(answer, thrown);
    }

    [Fact]
    public async Task GetAsync_ServiceAnswersUnavailable_RethrowsForTheRetryPolicy()
    {
        var answer = new RpcException(new Status(StatusCode.Unavailable, "try later"));
        using var transport = new GrpcTransport(RecordingCallInvoker.Failing(answer), ApiClient);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => transport.GetAsync("operations/x", NoLimits).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Same(answer, thrown);
    }

    [Fact]
    public async Task CancelAsync_GatewayAnswers503_ThrowsGrpcNotServed()
    {
        var failure = new RpcException(new Status(StatusCode.Unavailable, "Bad gRPC response. HTTP status code: 503"));
        using var transport = new GrpcTransport(RecordingCallInvoker.Failing(failure), ApiClient);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(() => transport.CancelAsync("operations/x", NoLimits).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(FallbackReason.GrpcNotServed, thrown.Reason);
        Assert.Same(failure, thrown.RpcException);
    }

    [Fact]
    public async Task WaitAsync_Unimplemented_ThrowsGrpcNotServedWithUnimplemented()
    {
        var failure = new RpcException(new Status(StatusCode.Unimplemented, "Method is unimplemented."));
        using var transport = new GrpcTransport(RecordingCallInvoker.Failing(failure), ApiClient);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(() => transport.WaitAsync("operations/x", TimeSpan.FromSeconds(1), NoLimits).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(FallbackReason.GrpcUnimplemented, thrown.Reason);
    }

    [Fact]
    public async Task GetAsync_CallerTokenFiredAndGrpcSaysCancelled_ThrowsOperationCanceledWithCallerToken()
    {
        using var caller = new CancellationTokenSource();
        await caller.CancelAsync();
        var failure = new RpcException(new Status(StatusCode.Cancelled, "Bad gRPC response. Invalid content-type value: text/html"));
        using var transport = new GrpcTransport(RecordingCallInvoker.Failing(failure), ApiClient);

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transport.GetAsync("operations/x", new CallScope(null, caller.Token)).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(caller.Token, thrown.CancellationToken);
    }

    [Fact]
    public async Task GetAsync_HtmlAnswerWithoutCallerCancel_ThrowsGrpcNotServed()
    {
        using var caller = new CancellationTokenSource();
        var failure = new RpcException(new Status(StatusCode.Cancelled, "Bad gRPC response. Invalid content-type value: text/html"));
        using var transport = new GrpcTransport(RecordingCallInvoker.Failing(failure), ApiClient);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(() => transport.GetAsync("operations/x", new CallScope(null, caller.Token)).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(FallbackReason.GrpcNotServed, thrown.Reason);
    }

    [Fact]
    public async Task GetAsync_DeadlineExceeded_RethrowsRpcException()
    {
        var failure = new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
        using var transport = new GrpcTransport(RecordingCallInvoker.Failing(failure), ApiClient);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => transport.GetAsync("operations/x", new CallScope(DateTime.UtcNow, default)).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(StatusCode.DeadlineExceeded, thrown.StatusCode);
    }

    [Fact]
    public async Task GetAsync_InvokerThrowsCancelledForTheDeadline_ThrowsDeadlineExceeded()
    {
        using var transport = new GrpcTransport(RecordingCallInvoker.Failing(new TaskCanceledException()), ApiClient);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => transport.GetAsync("operations/x", new CallScope(DateTime.UtcNow, default)).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(StatusCode.DeadlineExceeded, thrown.StatusCode);
    }

    [Fact]
    public void Kind_Always_IsGrpc()
    {
        using var transport = new GrpcTransport(RecordingCallInvoker.Answering(new Operation()), ApiClient);

        Assert.Equal(Transport.Grpc, transport.Kind);
    }
}
