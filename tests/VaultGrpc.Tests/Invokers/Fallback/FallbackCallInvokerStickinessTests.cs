using Grpc.Core;
using VaultGrpc.Invokers.Fallback;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Invokers.Fallback;

/// <summary>Which calls a finding against gRPC moves, and for how long: per method or per channel.</summary>
[Trait("Category", "Reliability")]
public sealed class FallbackCallInvokerStickinessTests : FallbackInvokerTestBed
{
    [Fact]
    public async Task AsyncUnaryCall_GrpcServes_RestNeverCalledAndHeaderSaysGrpc()
    {
        Operations.OperationsClient stub = CreateStub();

        using AsyncUnaryCall<Operation> call = stub.GetOperationAsync(new GetOperationRequest { Name = "operations/a" });
        await call.ResponseAsync.WaitAsync(Bound);
        Metadata headers = await call.ResponseHeadersAsync.WaitAsync(Bound);

        Assert.Equal(1, GrpcSide.Count(Get));
        Assert.Equal(0, RestSide.Total);
        Assert.Equal("grpc", headers.GetValue(FallbackCallInvoker.TransportHeader));
        Assert.Equal("yes", headers.GetValue("scripted"));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task AsyncUnaryCall_CancelMethodUnimplemented_OnlyCancelStaysOnRest()
    {
        GrpcFails(Cancel, GrpcFailures.MethodUnimplemented());
        Operations.OperationsClient stub = CreateStub();

        await CancelAsync(stub);
        for (int i = 0; i < 10; i++)
        {
            await CancelAsync(stub);
            await GetAsync(stub);
            await ListAsync(stub);
        }

        // One failed gRPC Cancel; every later Cancel straight to REST; Get and List never leave gRPC.
        Assert.Equal(1, GrpcSide.Count(Cancel));
        Assert.Equal(11, RestSide.Count(Cancel));
        Assert.Equal(10, GrpcSide.Count(Get));
        Assert.Equal(10, GrpcSide.Count(List));
        Assert.Equal(0, RestSide.Count(Get) + RestSide.Count(List));
        Assert.Equal(FallbackReason.GrpcUnimplemented, Reports[0].Fallback);
        Assert.Equal(FallbackReason.StickyRest, Reports[1].Fallback);
    }

    [Fact]
    public async Task AsyncUnaryCall_ServiceUnimplemented_WholeChannelGoesToRest()
    {
        GrpcFails(Cancel, GrpcFailures.ServiceUnimplemented());
        Operations.OperationsClient stub = CreateStub();

        await CancelAsync(stub);
        await GetAsync(stub);
        await ListAsync(stub);

        Assert.Equal(1, GrpcSide.Total);
        Assert.Equal(1, RestSide.Count(Get));
        Assert.Equal(1, RestSide.Count(List));
    }

    [Fact]
    public async Task AsyncUnaryCall_NoConnection_WholeChannelStickyThenOneProbeReopensGrpc()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.NoConnection());
        Operations.OperationsClient stub = CreateStub();

        await GetAsync(stub);
        await ListAsync(stub);
        await CancelAsync(stub);
        int grpcInWindow = GrpcSide.Total;
        GrpcSide.Behaviour = (_, _) => Task.FromResult<object?>(null);
        Time.Advance(TimeSpan.FromMinutes(5));
        await ListAsync(stub);
        await GetAsync(stub);

        Assert.Equal(1, grpcInWindow);
        Assert.Equal(3, RestSide.Total);
        Assert.Equal(1, GrpcSide.Count(List));
        Assert.Equal(2, GrpcSide.Count(Get));
    }

    [Fact]
    public async Task AsyncUnaryCall_MethodUnimplementedWindowRunsOut_ProbesGrpcForThatMethodAgain()
    {
        GrpcFails(Cancel, GrpcFailures.MethodUnimplemented());
        Operations.OperationsClient stub = CreateStub();

        await CancelAsync(stub);
        Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        await CancelAsync(stub);
        int grpcBeforeExpiry = GrpcSide.Count(Cancel);
        Time.Advance(TimeSpan.FromTicks(1));
        await CancelAsync(stub);

        Assert.Equal(1, grpcBeforeExpiry);
        Assert.Equal(2, GrpcSide.Count(Cancel));
        Assert.Equal(3, RestSide.Count(Cancel));
    }

    [Fact]
    public async Task AsyncUnaryCall_ZeroWindow_EveryCallTriesGrpc()
    {
        GrpcFails(Cancel, GrpcFailures.MethodUnimplemented());
        Operations.OperationsClient stub = CreateStub(options => options.StickyRestWindow = TimeSpan.Zero);

        await CancelAsync(stub);
        await CancelAsync(stub);

        Assert.Equal(2, GrpcSide.Count(Cancel));
        Assert.Equal(2, RestSide.Count(Cancel));
    }

    [Fact]
    public async Task AsyncUnaryCall_RestServesAfterFallback_HeaderAndReportNameTheReason()
    {
        GrpcFails(Get, GrpcFailures.MethodUnimplemented());
        Operations.OperationsClient stub = CreateStub();

        using AsyncUnaryCall<Operation> first = stub.GetOperationAsync(new GetOperationRequest { Name = "operations/a" });
        await first.ResponseAsync.WaitAsync(Bound);
        using AsyncUnaryCall<Operation> second = stub.GetOperationAsync(new GetOperationRequest { Name = "operations/a" });
        await second.ResponseAsync.WaitAsync(Bound);

        Assert.Equal("rest; fallback=grpc_unimplemented", (await first.ResponseHeadersAsync).GetValue(FallbackCallInvoker.TransportHeader));
        Assert.Equal("rest; fallback=sticky_rest", (await second.ResponseHeadersAsync).GetValue(FallbackCallInvoker.TransportHeader));
        Assert.Equal(Transport.Rest, Reports[0].Transport);
        Assert.Equal(FallbackReason.GrpcUnimplemented, Reports[0].Fallback);
        Assert.Contains("Method is unimplemented.", Reports[0].FallbackDetail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.OK, Reports[1].Status);
    }

    [Fact]
    public void BlockingUnaryCall_GrpcUnimplemented_ServedByRestAndReported()
    {
        GrpcFails(Get, GrpcFailures.MethodUnimplemented());
        Operations.OperationsClient stub = CreateStub();

        Operation operation = stub.GetOperation(new GetOperationRequest { Name = "operations/a" });

        Assert.NotNull(operation);
        Assert.Equal(1, RestSide.Count(Get));
        Assert.Equal(Transport.Rest, Assert.Single(Reports).Transport);
    }
}
