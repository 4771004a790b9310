using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.Tests.GrpcCalls.Peers.Http2;

namespace VaultGrpc.Tests.GrpcCalls.Peers.SelfTests;

/// <summary>
/// The silent peers are silent at the layer they claim, and what a plain Grpc.Net.Client 2.85 /
/// SocketsHttpHandler reports against each (no library policy in between). ConnectTimeout is 1 s;
/// deadlines are long enough to tell "ConnectTimeout fired" from "the deadline fired" by the code alone.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class SilentPeerSelfTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task ConnectAsync_SynDropPeer_StaysPending()
    {
        await using SynDropPeer peer = await SynDropPeer.StartAsync().WaitAsync(Bound);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        Task connect = socket.ConnectAsync(IPAddress.Loopback, peer.Port);
        Task first = await Task.WhenAny(connect, Task.Delay(TimeSpan.FromSeconds(1)));

        // On loopback an answered SYN (or a refusal) completes the connect at once.
        Assert.NotSame(connect, first);
        socket.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => connect.WaitAsync(Bound));
    }

    [Fact]
    public async Task GetOperation_SynDropPeer_IsUnavailableWithConnectTimeout()
    {
        await using SynDropPeer peer = await SynDropPeer.StartAsync().WaitAsync(Bound);
        using SocketsHttpHandler handler = PeerClient.Handler(ConnectTimeout);
        using GrpcChannel channel = PeerClient.Channel(peer.Address, handler);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => PeerClient.GetAsync(channel, Bound).WaitAsync(Bound));

        // grpc-dotnet connects its own subchannel socket, bounded by the handler's ConnectTimeout.
        Assert.Equal(StatusCode.Unavailable, thrown.StatusCode);
        Assert.Equal("Error connecting to subchannel.", thrown.Status.Detail);
        Assert.IsType<TimeoutException>(thrown.Status.DebugException);
    }

    [Fact]
    public async Task GetOperation_TlsStallPeer_IsCancelledByConnectTimeout()
    {
        await using var peer = new TlsStallPeer();
        using SocketsHttpHandler handler = PeerClient.Handler(ConnectTimeout);
        using GrpcChannel channel = PeerClient.Channel(peer.Address, handler);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => PeerClient.GetAsync(channel, Bound).WaitAsync(Bound));

        // ConnectTimeout covers the TLS handshake; grpc-dotnet reports it as a bare Cancelled.
        Assert.Equal(StatusCode.Cancelled, thrown.StatusCode);
        Assert.Equal("", thrown.Status.Detail);
        Assert.NotNull(PeerClient.FindInChain<TimeoutException>(thrown));
        Assert.Equal(1, peer.Log.TlsClientHellos);
        Assert.Equal(0, peer.Log.Prefaces);
    }

    [Fact]
    public async Task GetOperation_SilentH2cPeer_RequestIsSentAndCallEndsAtDeadline()
    {
        await using var peer = new SilentH2cPeer();
        using SocketsHttpHandler handler = PeerClient.Handler(ConnectTimeout);
        using GrpcChannel channel = PeerClient.Channel(peer.Address, handler);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => PeerClient.GetAsync(channel, TimeSpan.FromSeconds(3)).WaitAsync(Bound));

        // ConnectTimeout does not cover waiting for the server's SETTINGS, and the request goes out without them.
        Assert.Equal(StatusCode.DeadlineExceeded, thrown.StatusCode);
        Assert.Null(thrown.Status.DebugException);
        Assert.Equal(1, peer.Log.CompleteRequestsFor(PeerClient.GetPath));
        await peer.Log.WaitForFramesAsync(H2FrameType.RstStream).WaitAsync(Bound);
        Assert.Equal((1, H2ErrorCode.Cancel), Assert.Single(peer.Log.ClientResets));
        Assert.Empty(peer.Log.PeerFaults);
    }

    [Fact]
    public async Task GetOperation_SettingsThenSilencePeer_RequestIsSentAndCallEndsAtDeadline()
    {
        await using var peer = new SettingsThenSilencePeer();
        using SocketsHttpHandler handler = PeerClient.Handler(ConnectTimeout);
        using GrpcChannel channel = PeerClient.Channel(peer.Address, handler);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => PeerClient.GetAsync(channel, TimeSpan.FromSeconds(3)).WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, thrown.StatusCode);
        Assert.Equal(1, peer.Log.CompleteRequestsFor(PeerClient.GetPath));
        // The client's SETTINGS and its ACK of ours; the peer never acknowledged the client's.
        Assert.Equal(2, peer.Log.Frames(H2FrameType.Settings));
        Assert.Empty(peer.Log.PeerFaults);
    }

    [Fact]
    public async Task GetOperation_SilentH2cPeerWithKeepAlivePing_IsInternalPingTimeout()
    {
        await using var peer = new SilentH2cPeer();
        using SocketsHttpHandler handler = PeerClient.Handler(ConnectTimeout);
        handler.KeepAlivePingDelay = TimeSpan.FromSeconds(1);
        handler.KeepAlivePingTimeout = TimeSpan.FromSeconds(1);
        handler.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests;
        using GrpcChannel channel = PeerClient.Channel(peer.Address, handler);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => PeerClient.GetAsync(channel, Bound).WaitAsync(Bound));

        // An unanswered keep-alive PING ends the connection with a synthetic PROTOCOL_ERROR, which
        // reads like an HTTP/1.1 server's answer unless the message is looked at.
        Assert.Equal(StatusCode.Internal, thrown.StatusCode);
        HttpProtocolException? protocol = PeerClient.FindInChain<HttpProtocolException>(thrown);
        Assert.Equal(0x1L, protocol?.ErrorCode);
        Assert.Contains("ping", protocol?.Message, StringComparison.Ordinal);
        Assert.Equal(HttpRequestError.HttpProtocolError, PeerClient.FindInChain<HttpRequestException>(thrown)?.HttpRequestError);
        Assert.Equal(1, peer.Log.Frames(H2FrameType.Ping));
        Assert.Equal(1, peer.Log.CompleteRequestsFor(PeerClient.GetPath));
    }

    [Fact]
    public async Task HttpClientPost_SettingsThenSilencePeer_SendsHeadersAndDataBeforeAnyAnswer()
    {
        await using var peer = new SettingsThenSilencePeer();
        using SocketsHttpHandler handler = PeerClient.Handler(ConnectTimeout);
        using HttpClient client = PeerClient.Http2Client(handler);
        using var cancel = new CancellationTokenSource();

        Task<HttpResponseMessage> post = client.PostAsync(new Uri(peer.Address, PeerClient.DeletePath), new ByteArrayContent(new byte[5]), cancel.Token);
        await peer.Log.WaitForRequestAsync(PeerClient.DeletePath).WaitAsync(Bound);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post.WaitAsync(Bound));
        ReceivedRequest request = Assert.Single(peer.Log.CompleteRequests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(5, request.Body.Length);
    }

    [Fact]
    public async Task DisposeAsync_ClientStillConnected_ClosesItsConnection()
    {
        var peer = new SilentH2cPeer();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, peer.Address.Port).WaitAsync(Bound);
        await peer.Log.WaitForConnectionsAsync().WaitAsync(Bound);

        await peer.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.Equal(1, peer.Log.ConnectionsEnded);
        var buffer = new byte[1];
        int read;
        try
        {
            read = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(Bound);
        }
        catch (IOException)
        {
            read = 0;
        }

        Assert.Equal(0, read);
    }
}
