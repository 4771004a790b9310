using System.Net.Security;
using System.Net.Sockets;
using Grpc.Core;
using VaultGrpc.Internal;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.GrpcCalls;

/// <summary>
/// Each row of DESIGN's "When to fall back" table, produced by a real peer on 127.0.0.1 and seen
/// through the real GrpcTransport (its own SocketsHttpHandler unless the test must trust a
/// self-signed certificate).
/// </summary>
public class GrpcTransportLoopbackTests(LoopbackPeers peers) : IClassFixture<LoopbackPeers>
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetAsync_NothingListening_IsNoConnection()
    {
        using GrpcTransport transport = CreateTransport(ClosedPort.Reserve());

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(() => GetAsync(transport));

        Assert.Equal(FallbackReason.GrpcNoConnection, thrown.Reason);
        Assert.Equal(StatusCode.Unavailable, thrown.RpcException.StatusCode);
        Assert.False(thrown.RequestMayHaveActed);
        // Our own connect (no Grpc.Net.Client subchannel): SocketsHttpHandler reports it.
        var sendFailure = Assert.IsType<HttpRequestException>(thrown.RpcException.Status.DebugException);
        Assert.Equal(HttpRequestError.ConnectionError, sendFailure.HttpRequestError);
        var refused = Assert.IsType<SocketException>(sendFailure.InnerException);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task GetAsync_ConnectionResetOnAccept_FallsBack()
    {
        using GrpcTransport transport = CreateTransport(peers.ResetOnAccept.Address);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(() => GetAsync(transport));

        // Which the client sees first is a race: the reset (SocketException: no connection) or the
        // closed stream mid-handshake (an accepted connection that did not serve HTTP/2). Either way
        // nothing was delivered, and the call falls back.
        Assert.Contains(thrown.Reason, new[] { FallbackReason.GrpcNoConnection, FallbackReason.GrpcNotServed });
    }

    [Fact]
    public async Task GetAsync_KestrelHttp1OnlyOverH2c_IsNotServedWithInternal()
    {
        using GrpcTransport transport = CreateTransport(peers.Http1OnlyKestrel.Address);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(() => GetAsync(transport));

        Assert.Equal(FallbackReason.GrpcNotServed, thrown.Reason);
        Assert.Equal(StatusCode.Internal, thrown.RpcException.StatusCode);
        // Usually Kestrel's GOAWAY HTTP_1_1_REQUIRED arrives; now and then (measured under load) its
        // close overtakes the GOAWAY and the client reports a handshake that never completed.
        HttpProtocolException? goAway = FindInChain<HttpProtocolException>(thrown.RpcException);
        if (goAway is not null)
        {
            Assert.Equal(0xdL, goAway.ErrorCode); // HTTP_1_1_REQUIRED
        }
        else
        {
            Assert.Contains("HTTP/2 handshake", FindInChain<HttpRequestException>(thrown.RpcException)?.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetAsync_PlainHttp1ServerOverH2c_IsNotServedWithInternal()
    {
        using GrpcTransport transport = CreateTransport(peers.Http1OnlyRaw.Address);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(() => GetAsync(transport));

        Assert.Equal(FallbackReason.GrpcNotServed, thrown.Reason);
        Assert.Equal(StatusCode.Internal, thrown.RpcException.StatusCode);
        Assert.Equal(0x1L, FindInChain<HttpProtocolException>(thrown.RpcException)?.ErrorCode); // PROTOCOL_ERROR
    }

    [Fact]
    public async Task GetAsync_TlsServerWithoutAlpn_IsNotServedWithVersionNegotiationError()
    {
        using var handler = TrustingHandler();
        using GrpcTransport transport = CreateTransport(peers.TlsWithoutAlpn.Address, handler);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(() => GetAsync(transport));

        Assert.Equal(FallbackReason.GrpcNotServed, thrown.Reason);
        Assert.Equal(StatusCode.Internal, thrown.RpcException.StatusCode);
        Assert.Equal(HttpRequestError.VersionNegotiationError, FindInChain<HttpRequestException>(thrown.RpcException)?.HttpRequestError);
    }

    [Fact]
    public async Task GetAsync_KestrelTlsHttp1Only_FallsBack()
    {
        using var handler = TrustingHandler();
        using GrpcTransport transport = CreateTransport(peers.TlsHttp1OnlyKestrel.Address, handler);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(() => GetAsync(transport));

        // Kestrel refuses h2 in ALPN with a TLS alert; OpenSSL names it, other TLS stacks may not.
        FallbackReason expected = OperatingSystem.IsLinux() ? FallbackReason.GrpcNotServed : thrown.Reason;
        Assert.Equal(expected, thrown.Reason);
        Assert.Contains(thrown.Reason, new[] { FallbackReason.GrpcNotServed, FallbackReason.GrpcNoConnection });
        Assert.Equal(HttpRequestError.SecureConnectionError, FindInChain<HttpRequestException>(thrown.RpcException)?.HttpRequestError);
    }

    [Fact]
    public async Task GetAsync_Http2GatewayAnswering503_IsNotServedWithUnavailable()
    {
        using GrpcTransport transport = CreateTransport(peers.Http2Answering503.Address);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(() => GetAsync(transport));

        Assert.Equal(FallbackReason.GrpcNotServed, thrown.Reason);
        Assert.Equal(StatusCode.Unavailable, thrown.RpcException.StatusCode);
        Assert.Equal("Bad gRPC response. HTTP status code: 503", thrown.RpcException.Status.Detail);
    }

    [Fact]
    public async Task GetAsync_Http2LoginPageAsTextHtml_IsNotServedDespiteCancelled()
    {
        using var caller = new CancellationTokenSource();
        using GrpcTransport transport = CreateTransport(peers.Http2AnsweringHtml.Address);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(() => GetAsync(transport, "operations/x", caller.Token));

        Assert.Equal(FallbackReason.GrpcNotServed, thrown.Reason);
        Assert.Equal(StatusCode.Cancelled, thrown.RpcException.StatusCode);
        Assert.Equal("Bad gRPC response. Invalid content-type value: text/html", thrown.RpcException.Status.Detail);
        Assert.False(caller.IsCancellationRequested);
    }

    [Fact]
    public async Task GetAsync_Http2FrontAnswering404_IsUnimplemented()
    {
        using GrpcTransport transport = CreateTransport(peers.Http2Answering404.Address);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(() => GetAsync(transport));

        Assert.Equal(FallbackReason.GrpcUnimplemented, thrown.Reason);
        Assert.Equal(StatusCode.Unimplemented, thrown.RpcException.StatusCode);
    }

    [Fact]
    public async Task DeleteAsync_GrpcServerWithoutTheMethod_IsUnimplemented()
    {
        using GrpcTransport transport = CreateTransport(peers.Grpc.Address);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(
            () => transport.DeleteAsync("operations/x", Scope()).WaitAsync(TestTimeout));

        Assert.Equal(FallbackReason.GrpcUnimplemented, thrown.Reason);
        Assert.Equal(StatusCode.Unimplemented, thrown.RpcException.StatusCode);
    }

    [Fact]
    public async Task WaitAsync_GrpcServerWithoutTheMethod_IsUnimplemented()
    {
        using GrpcTransport transport = CreateTransport(peers.Grpc.Address);

        var thrown = await Assert.ThrowsAsync<GrpcNotServedException>(
            () => transport.WaitAsync("operations/x", TimeSpan.FromSeconds(5), Scope()).WaitAsync(TestTimeout));

        Assert.Equal(FallbackReason.GrpcUnimplemented, thrown.Reason);
    }

    [Theory]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.FailedPrecondition)]
    [InlineData(StatusCode.Aborted)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Cancelled)]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.Internal)]
    public async Task GetAsync_GrpcServerAnswersWithStatus_RethrowsTheAnswer(StatusCode code)
    {
        using GrpcTransport transport = CreateTransport(peers.Grpc.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(transport, ScriptedOperationsService.FailPrefix + code));

        Assert.Equal(code, thrown.StatusCode);
        Assert.Equal($"scripted {code}", thrown.Status.Detail);
        Assert.Null(thrown.Status.DebugException);
    }

    [Fact]
    public async Task GetAsync_GrpcServerResetsStream_RethrowsInternalWithoutFallback()
    {
        using GrpcTransport transport = CreateTransport(peers.Grpc.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(transport, ScriptedOperationsService.AbortBeforeHeaders));

        Assert.Equal(StatusCode.Internal, thrown.StatusCode);
    }

    [Fact]
    public async Task GetAsync_DeadlinePassesWhileServerThinks_IsDeadlineExceeded()
    {
        using GrpcTransport transport = CreateTransport(peers.Grpc.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(
            () => transport.GetAsync(ScriptedOperationsService.Hang, new CallScope(DateTime.UtcNow.AddMilliseconds(300), default)).WaitAsync(TestTimeout));

        Assert.Equal(StatusCode.DeadlineExceeded, thrown.StatusCode);
    }

    [Fact]
    public async Task GetAsync_CallerCancelsWhileServerThinks_ThrowsOperationCanceled()
    {
        using GrpcTransport transport = CreateTransport(peers.Grpc.Address);
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => transport.GetAsync(ScriptedOperationsService.Hang, new CallScope(null, caller.Token)).WaitAsync(TestTimeout));

        Assert.Equal(caller.Token, thrown.CancellationToken);
    }

    [Fact]
    public async Task GetAsync_GrpcServerAnswers_ServerReceivesHeadersAndDeadline()
    {
        using GrpcTransport transport = CreateTransport(peers.Grpc.Address);
        string name = "operations/headers test/" + Guid.NewGuid().ToString("N");
        DateTime deadline = DateTime.UtcNow.AddHours(1);

        var operation = await transport.GetAsync(name, new CallScope(deadline, default)).WaitAsync(TestTimeout);

        Assert.Equal(name, operation.Name);
        ReceivedCall received = Assert.Single(peers.Journal.Calls, c => c.Header("x-goog-request-params") == "name=" + Uri.EscapeDataString(name));
        Assert.Equal("/google.longrunning.Operations/GetOperation", received.Method);
        Assert.Equal("loopback-test/1", received.Header("x-goog-api-client"));
        Assert.Null(received.Header("authorization"));
        // grpc-timeout travels relative and is rounded; the server's deadline lands near ours.
        Assert.InRange(received.Deadline, deadline.AddMinutes(-5), deadline.AddMinutes(1));
    }

    [Fact]
    public async Task ListAsync_GrpcServerAnswers_RoutesOnTheCollection()
    {
        using GrpcTransport transport = CreateTransport(peers.Grpc.Address);

        var page = await transport.ListAsync(new VaultGrpc.LongRunning.ListOperationsRequest { Name = "operations", Filter = "f" }, Scope()).WaitAsync(TestTimeout);

        Assert.Equal("operations/listed", Assert.Single(page.Operations).Name);
        Assert.Contains(peers.Journal.Calls, c => c.Method.EndsWith("/ListOperations", StringComparison.Ordinal) && c.Header("x-goog-request-params") == "name=operations");
    }

    private static GrpcTransport CreateTransport(Uri endpoint, HttpMessageHandler? handler = null)
    {
        var options = new VaultOperationsClientOptions { Endpoint = endpoint, Credentials = VaultCredentials.None, GrpcHttpHandler = handler };
        return GrpcTransport.Create(options, new AccessTokenSource(VaultCredentials.None), "loopback-test/1");
    }

    private static Task GetAsync(GrpcTransport transport, string name = "operations/x", CancellationToken cancellationToken = default) =>
        transport.GetAsync(name, new CallScope(DateTime.UtcNow.AddSeconds(15), cancellationToken)).WaitAsync(TestTimeout);

    private static CallScope Scope() => new(DateTime.UtcNow.AddSeconds(15), default);

    private static SocketsHttpHandler TrustingHandler() => new()
    {
        // Only for the throwaway certificate these tests make.
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    };

    private static T? FindInChain<T>(RpcException error)
        where T : Exception
    {
        for (Exception? current = error.Status.DebugException; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
