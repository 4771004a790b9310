using Grpc.Core;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Invokers.Fallback;

/// <summary>The single probe after a window: exactly one call, released by structure on every path.</summary>
[Trait("Category", "Reliability")]
public sealed class FallbackCallInvokerProbeTests : FallbackInvokerTestBed
{
    [Fact]
    public async Task AsyncUnaryCall_HundredConcurrentCallsAfterWindow_ExactlyOneProbesGrpc()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.NoConnection());
        Operations.OperationsClient stub = CreateStub();
        await GetAsync(stub);
        var probeAnswer = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        GrpcSide.Behaviour = (_, _) => probeAnswer.Task;
        Time.Advance(TimeSpan.FromMinutes(5));

        Task<Operation>[] calls = Enumerable.Range(0, 100).Select(_ => Task.Run(() => GetAsync(stub))).ToArray();
        Task<Operation> probe = await WaitForGrpcCallAsync(calls, expectedGrpc: 2);
        await Task.WhenAll(calls.Where(call => call != probe)).WaitAsync(Bound);
        int grpcWhileProbing = GrpcSide.Count(Get);
        probeAnswer.SetResult(null);
        await Task.WhenAll(calls).WaitAsync(Bound);
        await GetAsync(stub);

        Assert.Equal(2, grpcWhileProbing);
        Assert.Equal(1 + 99, RestSide.Count(Get));
        Assert.Equal(3, GrpcSide.Count(Get));
    }

    [Fact]
    public async Task AsyncUnaryCall_ProbeCancelledByItsCaller_NextCallProbes()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.NoConnection());
        Operations.OperationsClient stub = CreateStub();
        await GetAsync(stub);
        Time.Advance(TimeSpan.FromMinutes(5));
        using var cancellation = new CancellationTokenSource();
        GrpcSide.Behaviour = async (_, options) =>
        {
            await Task.Delay(Timeout.Infinite, options.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
        };

        Task<Operation> probe = stub.GetOperationAsync(new GetOperationRequest { Name = "operations/a" }, cancellationToken: cancellation.Token).ResponseAsync;
        await GetAsync(stub);
        int restWhileProbing = RestSide.Count(Get);
        await cancellation.CancelAsync();
        RpcException cancelled = await Assert.ThrowsAsync<RpcException>(() => probe.WaitAsync(Bound));
        GrpcSide.Behaviour = (_, _) => Task.FromResult<object?>(null);
        await GetAsync(stub);
        await GetAsync(stub);

        Assert.Equal(StatusCode.Cancelled, cancelled.StatusCode);
        Assert.Equal(2, restWhileProbing);
        Assert.Equal(4, GrpcSide.Count(Get));
        Assert.Equal(2, RestSide.Count(Get));
    }

    [Fact]
    public async Task AsyncUnaryCall_ProbeTimesOut_WindowRenewed()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.NoConnection());
        Operations.OperationsClient stub = CreateStub();
        await GetAsync(stub);
        Time.Advance(TimeSpan.FromMinutes(5));
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(new RpcException(new Status(StatusCode.DeadlineExceeded, string.Empty)));

        await Assert.ThrowsAsync<RpcException>(() => GetAsync(stub));
        await GetAsync(stub);

        Assert.Equal(2, GrpcSide.Count(Get));
        Assert.Equal(2, RestSide.Count(Get));
    }

    [Fact]
    public async Task AsyncUnaryCall_ProbeDisposedByItsCaller_WindowStaysOpenAndNextCallProbes()
    {
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.NoConnection());
        Operations.OperationsClient stub = CreateStub();
        await GetAsync(stub);
        Time.Advance(TimeSpan.FromMinutes(5));
        var never = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        GrpcSide.Behaviour = (_, _) => never.Task;
        var request = new GetOperationRequest { Name = "operations/a" };

        AsyncUnaryCall<Operation> probe = stub.GetOperationAsync(request);
        probe.Dispose();
        RpcException disposed = await Assert.ThrowsAsync<RpcException>(() => probe.ResponseAsync.WaitAsync(Bound));
        using AsyncUnaryCall<Operation> nextProbe = stub.GetOperationAsync(request);
        GrpcSide.Behaviour = ScriptedCallInvoker.Fail(GrpcFailures.NoConnection());
        await GetAsync(stub);

        // A disposal says nothing of gRPC: the window stays, the next call probes, the one after follows the window.
        Assert.Equal(StatusCode.Cancelled, disposed.StatusCode);
        Assert.Equal(3, GrpcSide.Count(Get));
        Assert.Equal(2, RestSide.Count(Get));
    }

    private async Task<Task<Operation>> WaitForGrpcCallAsync(Task<Operation>[] calls, int expectedGrpc)
    {
        // The other 99 finish on REST; the probe is the one still waiting for gRPC's answer.
        using var timeout = new CancellationTokenSource(Bound);
        while (calls.Count(call => !call.IsCompleted) > 1 || GrpcSide.Count(Get) < expectedGrpc)
        {
            await Task.Delay(5, timeout.Token);
        }

        return calls.Single(call => !call.IsCompleted);
    }
}
