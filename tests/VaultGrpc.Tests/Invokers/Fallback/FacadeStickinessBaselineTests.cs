using VaultGrpc.Internal;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.Invokers.Fallback;

/// <summary>
/// The measurement FallbackCallInvoker improves on: today's facade (OperationsInvoker, one sticky
/// gate per client) sends every Get and List to REST for the whole window after one UNIMPLEMENTED
/// Cancel. The same script through the fallback invoker is
/// <see cref="FallbackCallInvokerStickinessTests.AsyncUnaryCall_CancelMethodUnimplemented_OnlyCancelStaysOnRest"/>.
/// When the facade moves onto the invoker this test must be rewritten to expect what that one does.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class FacadeStickinessBaselineTests : InvokerTestBed
{
    [Fact]
    public async Task OperationsInvoker_CancelUnimplemented_SendsEveryGetAndListToRestForTheWindow()
    {
        GrpcSide.Behaviour = (method, name, _) => method == RpcMethod.Cancel
            ? throw Failures.NotServed(FallbackReason.GrpcUnimplemented)
            : Task.FromResult(new Operation { Name = name, Done = true });
        using OperationsInvoker invoker = CreateInvoker();

        await CancelAsync(invoker);
        for (int i = 0; i < 10; i++)
        {
            await CancelAsync(invoker);
            await invoker.InvokeAsync(RpcMethod.Get, "operations/a", static (t, n, s) => t.GetAsync(n, s), null, CancellationToken.None);
            await invoker.InvokeAsync(RpcMethod.List, new ListOperationsRequest { Name = "operations" }, static (t, r, s) => t.ListAsync(r, s), null, CancellationToken.None);
        }

        Assert.Equal(1, GrpcSide.TotalCalls);
        Assert.Equal(10, RestSide.Calls(RpcMethod.Get));
        Assert.Equal(10, RestSide.Calls(RpcMethod.List));
    }

    private static Task<VaultCallInfo> CancelAsync(OperationsInvoker invoker) =>
        invoker.InvokeAsync(RpcMethod.Cancel, "operations/a", static (t, n, s) => t.CancelAsync(n, s), null, CancellationToken.None);
}
