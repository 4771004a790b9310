using Grpc.Core;
using VaultGrpc.Invokers.Fallback;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Invokers.Fallback;

/// <summary>The safety principle, not-supported methods and time, through the generated stub.</summary>
[Trait("Category", "Reliability")]
public sealed class FallbackCallInvokerSafetyTests : FallbackInvokerTestBed
{
    [Fact]
    public async Task AsyncUnaryCall_DeleteAfterGateway503_OutcomeUnknownAndRestNeverCalled()
    {
        GrpcFails(Delete, GrpcFailures.Gateway503());
        Operations.OperationsClient stub = CreateStub();

        VaultOutcomeUnknownException error = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => DeleteAsync(stub));

        Assert.Equal("DeleteOperation", error.Method);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(0, RestSide.Total);
    }

    [Fact]
    public async Task AsyncUnaryCall_GetAfterGateway503_MovesToRest()
    {
        GrpcFails(Get, GrpcFailures.Gateway503());
        Operations.OperationsClient stub = CreateStub();

        await GetAsync(stub);

        Assert.Equal(1, RestSide.Count(Get));
        Assert.Equal(FallbackReason.GrpcNotServed, Reports.Single().Fallback);
    }

    [Fact]
    public async Task AsyncUnaryCall_CancelWithoutSafeOverride_Gateway503EndsOutcomeUnknown()
    {
        GrpcFails(Cancel, GrpcFailures.Gateway503());
        Operations.OperationsClient stub = CreateStub(options => options.SafeToRepeat.Clear());

        await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => CancelAsync(stub));

        Assert.Equal(0, RestSide.Total);
    }

    [Fact]
    public async Task AsyncUnaryCall_DeleteWithoutConnection_MovesToRest()
    {
        GrpcFails(Delete, GrpcFailures.NoConnection());
        Operations.OperationsClient stub = CreateStub();

        await DeleteAsync(stub);

        Assert.Equal(1, RestSide.Count(Delete));
    }

    [Fact]
    public async Task AsyncUnaryCall_DeleteAnsweredUnavailableByService_OutcomeUnknownNotRetriedAnywhere()
    {
        GrpcFails(Delete, GrpcFailures.Answered(StatusCode.Unavailable));
        Operations.OperationsClient stub = CreateStub();

        VaultOutcomeUnknownException error = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => DeleteAsync(stub));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(0, RestSide.Total);
    }

    [Theory]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.Internal)]
    public async Task AsyncUnaryCall_ServiceAnswers_NoFallbackAndAnswerStands(StatusCode code)
    {
        GrpcFails(Get, GrpcFailures.Answered(code));
        Operations.OperationsClient stub = CreateStub();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => GetAsync(stub));

        Assert.Equal(code, error.StatusCode);
        Assert.IsNotType<VaultOutcomeUnknownException>(error);
        Assert.Equal(0, RestSide.Total);
    }

    [Fact]
    public async Task AsyncUnaryCall_BothTransportsUnimplemented_NotSupportedThenNoRoundTripsForTheWindow()
    {
        GrpcFails(Cancel, GrpcFailures.MethodUnimplemented());
        RestSide.Behaviour = ScriptedCallInvoker.Fail(new RpcException(new Status(StatusCode.Unimplemented, "HTTP 501")));
        Operations.OperationsClient stub = CreateStub();

        RpcException first = await Assert.ThrowsAsync<RpcException>(() => CancelAsync(stub));
        using AsyncUnaryCall<Google.Protobuf.WellKnownTypes.Empty> second = stub.CancelOperationAsync(new CancelOperationRequest { Name = "operations/b" });
        RpcException later = await Assert.ThrowsAsync<RpcException>(() => second.ResponseAsync.WaitAsync(Bound));
        await GetAsync(stub);
        int roundTripsInWindow = GrpcSide.Count(Cancel) + RestSide.Count(Cancel);
        Time.Advance(TimeSpan.FromMinutes(5));
        await Assert.ThrowsAsync<RpcException>(() => CancelAsync(stub));

        Assert.Equal(StatusCode.Unimplemented, first.StatusCode);
        Assert.Contains("not served over gRPC nor REST", first.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unimplemented, later.StatusCode);
        Assert.Contains("not served over gRPC nor REST", later.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unimplemented, second.GetStatus().StatusCode);
        Assert.Equal(2, roundTripsInWindow);
        Assert.Equal(1, GrpcSide.Count(Get));
        Assert.Null(Reports[1].Transport);
        Assert.Equal(2, GrpcSide.Count(Cancel));
        Assert.Equal(2, RestSide.Count(Cancel));
    }

    [Fact]
    public async Task AsyncUnaryCall_NoConnectionAndRestUnimplemented_RestAnswerStandsWithoutNotSupported()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.NoConnection());
        RestSide.Behaviour = ScriptedCallInvoker.Fail(new RpcException(new Status(StatusCode.Unimplemented, "HTTP 501")));
        Operations.OperationsClient stub = CreateStub();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => CancelAsync(stub));

        Assert.Equal("HTTP 501", error.Status.Detail);
    }

    [Fact]
    public async Task AsyncUnaryCall_GrpcFailsFast_RestGetsTheSameDeadline()
    {
        GrpcFails(Get, GrpcFailures.MethodUnimplemented());
        Operations.OperationsClient stub = CreateStub();
        DateTime deadline = Time.GetUtcNow().UtcDateTime.AddSeconds(7);

        await stub.GetOperationAsync(new GetOperationRequest { Name = "operations/a" }, deadline: deadline).ResponseAsync.WaitAsync(Bound);

        Assert.True(RestSide.Calls.TryPeek(out var rest));
        Assert.Equal(deadline, rest.Options.Deadline);
        Assert.Equal(deadline, GrpcSide.Calls.Single().Options.Deadline);
    }

    [Fact]
    public async Task AsyncUnaryCall_GrpcNotServedAfterTheDeadline_DeadlineExceededWithoutRest()
    {
        DateTime deadline = Time.GetUtcNow().UtcDateTime.AddSeconds(3);
        GrpcSide.Behaviour = (_, _) =>
        {
            Time.Advance(TimeSpan.FromSeconds(3));
            return Task.FromException<object?>(GrpcFailures.NoConnection());
        };
        Operations.OperationsClient stub = CreateStub();

        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => stub.GetOperationAsync(new GetOperationRequest { Name = "operations/a" }, deadline: deadline).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("Connection refused", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, RestSide.Total);
    }

    [Fact]
    public async Task AsyncUnaryCall_CallerCancelsDuringGrpc_CancellationAsGrpcReportsItAndNoRest()
    {
        using var cancellation = new CancellationTokenSource();
        GrpcSide.Behaviour = async (_, options) =>
        {
            await cancellation.CancelAsync();
            throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
        };
        Operations.OperationsClient stub = CreateStub();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => CancelAsync(stub, new CallOptions(cancellationToken: cancellation.Token)));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(0, RestSide.Total);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new FallbackCallInvokerOptions { StickyRestWindow = TimeSpan.FromSeconds(-1), SafeToRepeat = { "CancelOperation" } };

        ArgumentException error = Assert.Throws<ArgumentException>(() => new FallbackCallInvoker(GrpcSide, RestSide, options));

        Assert.Contains("StickyRestWindow", error.Message, StringComparison.Ordinal);
        Assert.Contains("'CancelOperation'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsyncUnaryCall_NoServicesGiven_GetAfterGateway503IsNotKnownSafe()
    {
        GrpcFails(Get, GrpcFailures.Gateway503());
        Operations.OperationsClient stub = CreateStub(options => options.Services.Clear());

        await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => GetAsync(stub));

        Assert.Equal(0, RestSide.Total);
    }
}
