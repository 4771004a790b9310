using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.Tests.GrpcCalls.Peers.Http2;

namespace VaultGrpc.Tests.GrpcCalls.Peers.SelfTests;

/// <summary>
/// Each scripted action of <see cref="ScriptedH2Peer"/> against a plain Grpc.Net.Client 2.85 channel
/// over SocketsHttpHandler: what the caller sees, and how many times the Delete reached the peer —
/// SocketsHttpHandler itself re-sends a request after REFUSED_STREAM or a GOAWAY below its stream.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ScriptedH2PeerSelfTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task DeleteOperation_GrpcOk_SucceedsAndReachesPeerOnce()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.GrpcOk);

        await DeleteAsync(peer);

        ReceivedRequest request = Assert.Single(peer.Log.CompleteRequests);
        Assert.Equal(PeerClient.DeletePath, request.Path);
        Assert.Equal("application/grpc", request.Header("content-type"));
        Assert.Empty(peer.Log.PeerFaults);
    }

    [Fact]
    public async Task DeleteOperation_ResetStreamProtocolError_IsInternalAndReachesPeerOnce()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.ResetStream(H2ErrorCode.ProtocolError));

        RpcException thrown = await FailingDeleteAsync(peer);

        Assert.Equal(StatusCode.Internal, thrown.StatusCode);
        Assert.Equal(0x1L, PeerClient.FindInChain<HttpProtocolException>(thrown)?.ErrorCode);
        Assert.StartsWith("The HTTP/2 server reset the stream.", PeerClient.FindInChain<HttpRequestException>(thrown)?.Message, StringComparison.Ordinal);
        Assert.Equal(1, peer.Log.CompleteRequestsFor(PeerClient.DeletePath));
    }

    [Fact]
    public async Task DeleteOperation_RefusedStreamEveryTime_IsUnavailableAfterHandlerResentItThreeTimes()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.RefuseStream);

        RpcException thrown = await FailingDeleteAsync(peer);

        Assert.Equal(StatusCode.Unavailable, thrown.StatusCode);
        Assert.Equal(0x7L, PeerClient.FindInChain<HttpProtocolException>(thrown)?.ErrorCode);
        Assert.Equal(HttpRequestError.HttpProtocolError, PeerClient.FindInChain<HttpRequestException>(thrown)?.HttpRequestError);
        Assert.Equal(4, peer.Log.CompleteRequestsFor(PeerClient.DeletePath));
        Assert.Single(peer.Log.CompleteRequests.Select(r => r.Connection).Distinct());
    }

    [Fact]
    public async Task DeleteOperation_RefusedStreamOnce_SucceedsOnHandlerResend()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.OnRequest(1, H2Action.RefuseStream);

        await DeleteAsync(peer);

        Assert.Equal(2, peer.Log.CompleteRequestsFor(PeerClient.DeletePath));
    }

    [Fact]
    public async Task DeleteOperation_TcpResetAfterRequest_IsUnavailableWithConnectionResetAndReachesPeerOnce()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.ResetConnection);

        RpcException thrown = await FailingDeleteAsync(peer);

        // Usually Unavailable with HttpRequestError.Unknown over a SocketException ConnectionReset
        // (measured); under load the socket error can read Shutdown and the chain differ, so only
        // what the peer proves is pinned: the call failed as a lost connection, once.
        Assert.Contains(thrown.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.True(PeerClient.FindInChain<System.Net.Sockets.SocketException>(thrown) is not null || PeerClient.FindInChain<IOException>(thrown) is not null, thrown.ToString());
        Assert.Equal(1, peer.Log.CompleteRequestsFor(PeerClient.DeletePath));
    }

    [Fact]
    public async Task DeleteOperation_GoAwayBelowStreamEveryTime_IsInternalAfterHandlerResentItOnThreeNewConnections()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.GoAway(lastStreamIdBelowRequest: true));

        RpcException thrown = await FailingDeleteAsync(peer);

        Assert.Equal(StatusCode.Internal, thrown.StatusCode);
        Assert.Equal(0x0L, PeerClient.FindInChain<HttpProtocolException>(thrown)?.ErrorCode);
        Assert.Equal(4, peer.Log.CompleteRequestsFor(PeerClient.DeletePath));
        Assert.Equal(4, peer.Log.CompleteRequests.Select(r => r.Connection).Distinct().Count());
    }

    [Fact]
    public async Task DeleteOperation_GoAwayBelowStreamOnce_SucceedsOnNewConnection()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.OnRequest(1, H2Action.GoAway(lastStreamIdBelowRequest: true));

        await DeleteAsync(peer);

        IReadOnlyList<ReceivedRequest> requests = peer.Log.CompleteRequests;
        Assert.Equal(2, requests.Count);
        Assert.NotEqual(requests[0].Connection, requests[1].Connection);
    }

    [Fact]
    public async Task DeleteOperation_GoAwayAtStream_IsInternalAndReachesPeerOnce()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.GoAway(lastStreamIdBelowRequest: false));

        RpcException thrown = await FailingDeleteAsync(peer);

        Assert.Equal(StatusCode.Internal, thrown.StatusCode);
        Assert.Equal(0x0L, PeerClient.FindInChain<HttpProtocolException>(thrown)?.ErrorCode);
        Assert.Equal(1, peer.Log.CompleteRequestsFor(PeerClient.DeletePath));
    }

    [Fact]
    public async Task DeleteOperation_GatewayResetBeforeHeaders_IsUnavailableBadGrpcResponseAndReachesPeerOnce()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.GatewayResetBeforeHeaders);

        RpcException thrown = await FailingDeleteAsync(peer);

        Assert.Equal(StatusCode.Unavailable, thrown.StatusCode);
        Assert.Equal("Bad gRPC response. HTTP status code: 503", thrown.Status.Detail);
        Assert.Null(thrown.Status.DebugException);
        Assert.Equal(1, peer.Log.CompleteRequestsFor(PeerClient.DeletePath));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeleteOperation_HeaderBlockOver64KB_IsUnavailableWithHpackLimitAndReachesPeerOnce(bool inTrailers)
    {
        H2Response.HugeHeaderPlacement placement = inTrailers ? H2Response.HugeHeaderPlacement.Trailers : H2Response.HugeHeaderPlacement.ResponseHeaders;
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.Respond(H2Response.GrpcStatusWithHugeHeader(5, 70_000, placement)));

        RpcException thrown = await FailingDeleteAsync(peer);

        Assert.Equal(StatusCode.Unavailable, thrown.StatusCode);
        Assert.Contains("HPackDecodingException: The HTTP headers length exceeded the set limit of 65536 bytes.", thrown.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, peer.Log.CompleteRequestsFor(PeerClient.DeletePath));
    }

    [Fact]
    public async Task DeleteOperation_NotFoundWithExtraTrailer_IsNotFoundWithTrailer()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.GrpcStatus(5, "operation not found", H2Response.Field("x-extra", "1")));

        RpcException thrown = await FailingDeleteAsync(peer);

        Assert.Equal(StatusCode.NotFound, thrown.StatusCode);
        Assert.Equal("operation not found", thrown.Status.Detail);
        Assert.Equal("1", thrown.Trailers.GetValue("x-extra"));
    }

    [Fact]
    public async Task DeleteOperation_NotFoundWithUndecodableStatusDetails_IsInternalFormatException()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(
            H2Action.GrpcStatus(5, "operation not found", H2Response.Field("grpc-status-details-bin", "!!!not-base64!!!")));

        RpcException thrown = await FailingDeleteAsync(peer);

        Assert.Equal(StatusCode.Internal, thrown.StatusCode);
        Assert.IsType<FormatException>(thrown.Status.DebugException);
    }

    [Theory]
    [InlineData(true, 51)]
    [InlineData(false, 1)]
    public async Task DeleteOperation_RedirectToSelf_IsFollowedOnlyWhenHandlerAllowsRedirects(bool allowAutoRedirect, int expectedRequests)
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.RedirectToSelf());
        using SocketsHttpHandler handler = PeerClient.Handler();
        handler.AllowAutoRedirect = allowAutoRedirect;

        RpcException thrown = await FailingDeleteAsync(peer, handler);

        // SocketsHttpHandler follows up to MaxAutomaticRedirections (50), re-sending the Delete each time.
        Assert.Equal(StatusCode.Unknown, thrown.StatusCode);
        Assert.Equal("Bad gRPC response. HTTP status code: 307", thrown.Status.Detail);
        Assert.Equal(expectedRequests, peer.Log.CompleteRequestsFor(PeerClient.DeletePath));
    }

    [Fact]
    public async Task DeleteOperation_NoAnswer_EndsAtDeadlineAndClientCancelsStream()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.NoAnswer);
        using SocketsHttpHandler handler = PeerClient.Handler();
        using GrpcChannel channel = PeerClient.Channel(peer.Address, handler);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => PeerClient.DeleteAsync(channel, TimeSpan.FromSeconds(1)).WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, thrown.StatusCode);
        await peer.Log.WaitForFramesAsync(H2FrameType.RstStream).WaitAsync(Bound);
        Assert.Equal((1, H2ErrorCode.Cancel), Assert.Single(peer.Log.ClientResets));
    }

    [Fact]
    public async Task DeleteOperation_ActionOnSecondRequestOnly_FirstAndThirdSucceed()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.OnRequest(2, H2Action.GrpcStatus(14, "second"));
        using SocketsHttpHandler handler = PeerClient.Handler();
        using GrpcChannel channel = PeerClient.Channel(peer.Address, handler);

        await PeerClient.DeleteAsync(channel, Bound).WaitAsync(Bound);
        var second = await Assert.ThrowsAsync<RpcException>(() => PeerClient.DeleteAsync(channel, Bound).WaitAsync(Bound));
        await PeerClient.DeleteAsync(channel, Bound).WaitAsync(Bound);

        Assert.Equal(StatusCode.Unavailable, second.StatusCode);
        Assert.Equal("second", second.Status.Detail);
        Assert.Equal(3, peer.Log.CompleteRequestsFor(PeerClient.DeletePath));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetOperation_PlaintextStreamFilterOnHandler_RunsDespiteGrpcConnectCallback(bool tls)
    {
        using X509Certificate2? certificate = tls ? SelfSignedCertificate.ForLoopback() : null;
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.GrpcOk, certificate);
        using SocketsHttpHandler handler = PeerClient.Handler();
        int filtered = 0;
        handler.PlaintextStreamFilter = (context, _) =>
        {
            Interlocked.Increment(ref filtered);
            return ValueTask.FromResult(context.PlaintextStream);
        };
        using GrpcChannel channel = PeerClient.Channel(peer.Address, handler);

        await PeerClient.GetAsync(channel, Bound).WaitAsync(Bound);

        Assert.NotNull(handler.ConnectCallback); // installed by grpc-dotnet's subchannel balancer
        Assert.Equal(1, filtered);
    }

    [Fact]
    public async Task HttpClientPost_GatewayResetBeforeHeaders_ReadsEnvoyTextBody()
    {
        await using ScriptedH2Peer peer = ScriptedH2Peer.Always(H2Action.GatewayResetBeforeHeaders);
        using SocketsHttpHandler handler = PeerClient.Handler();
        using HttpClient client = PeerClient.Http2Client(handler);
        using var content = new ByteArrayContent(new byte[5]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");

        using HttpResponseMessage response = await client.PostAsync(new Uri(peer.Address, PeerClient.DeletePath), content).WaitAsync(Bound);

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(H2Response.EnvoyResetBeforeHeaders, await response.Content.ReadAsStringAsync().WaitAsync(Bound));
    }

    private static async Task DeleteAsync(ScriptedH2Peer peer)
    {
        using SocketsHttpHandler handler = PeerClient.Handler();
        using GrpcChannel channel = PeerClient.Channel(peer.Address, handler);
        await PeerClient.DeleteAsync(channel, Bound).WaitAsync(Bound);
    }

    private static async Task<RpcException> FailingDeleteAsync(ScriptedH2Peer peer, SocketsHttpHandler? handler = null)
    {
        using SocketsHttpHandler ownHandler = handler ?? PeerClient.Handler();
        using GrpcChannel channel = PeerClient.Channel(peer.Address, ownHandler);
        return await Assert.ThrowsAsync<RpcException>(() => PeerClient.DeleteAsync(channel, Bound).WaitAsync(Bound));
    }
}
