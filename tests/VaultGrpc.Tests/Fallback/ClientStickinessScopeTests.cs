using VaultGrpc.Tests.Invokers.Fallback;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.Fallback;

/// <summary>
/// Which of the client's calls one finding against gRPC moves: a gRPC server's UNIMPLEMENTED for
/// one method moves that method only (the Operations docs say a server without cancel answers
/// exactly that), while an unknown service moves the whole channel. The old facade moved every
/// call for the window after one UNIMPLEMENTED Cancel; the same script through the fallback
/// invoker alone is <see cref="FallbackCallInvokerStickinessTests"/>.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ClientStickinessScopeTests : ClientTestBed
{
    [Fact]
    public async Task CancelAsync_MethodUnimplemented_LaterCancelsGoToRestGetAndListStayOnGrpc()
    {
        GrpcSide.Behaviour = (method, _) => method == Cancel ? Fail(GrpcFailures.MethodUnimplemented()) : Answer(null);
        using VaultOperationsClient client = CreateClient();

        VaultCallInfo first = await client.CancelAsync(OperationName).WaitAsync(Bound);
        var later = new List<VaultCallInfo>();
        for (int i = 0; i < 10; i++)
        {
            later.Add(await client.CancelAsync(OperationName).WaitAsync(Bound));
            later.Add((await client.GetAsync(OperationName).WaitAsync(Bound)).Call);
            later.Add((await client.ListPageAsync().WaitAsync(Bound)).Call);
        }

        Assert.Equal(FallbackReason.GrpcUnimplemented, first.Fallback);
        Assert.Equal(1, GrpcSide.Count(Cancel));
        Assert.Equal(11, RestSide.Count(Cancel));
        Assert.Equal(10, GrpcSide.Count(Get));
        Assert.Equal(10, GrpcSide.Count(List));
        Assert.Equal(0, RestSide.Count(Get) + RestSide.Count(List));
        Assert.Equal(10, later.Count(info => info is { Transport: Transport.Rest, Fallback: FallbackReason.StickyRest }));
        Assert.Equal(20, later.Count(info => info is { Transport: Transport.Grpc, Fallback: FallbackReason.None }));
        // The channel's window stays shut: gRPC serves, it only lacks the one method.
        Assert.Equal(new VaultTransportStatus(null, FallbackReason.None, null), client.TransportStatus);
    }

    [Fact]
    public async Task CancelAsync_ServiceUnimplemented_WholeChannelGoesToRestForTheWindow()
    {
        GrpcSide.Behaviour = (method, _) => method == Cancel ? Fail(GrpcFailures.ServiceUnimplemented()) : Answer(null);
        using VaultOperationsClient client = CreateClient();
        DateTimeOffset start = Time.GetUtcNow();

        await client.CancelAsync(OperationName).WaitAsync(Bound);
        for (int i = 0; i < 10; i++)
        {
            await client.CancelAsync(OperationName).WaitAsync(Bound);
            await client.GetAsync(OperationName).WaitAsync(Bound);
            await client.ListPageAsync().WaitAsync(Bound);
        }

        Assert.Equal(1, GrpcSide.Total);
        Assert.Equal(11, RestSide.Count(Cancel));
        Assert.Equal(10, RestSide.Count(Get));
        Assert.Equal(10, RestSide.Count(List));
        Assert.Equal(start + TimeSpan.FromMinutes(5), client.TransportStatus.RestStickyUntil);
        Assert.Equal(FallbackReason.GrpcUnimplemented, client.TransportStatus.LastFallback);
        Assert.Contains("Service is unimplemented.", client.TransportStatus.LastFallbackDetail, StringComparison.Ordinal);
    }
}
