using System.Net.Security;
using System.Net.Sockets;
using Grpc.Core;
using VaultGrpc.Internal.Delivery;
using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.Internal.Telemetry;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.GrpcCalls;

/// <summary>
/// Each row of DESIGN's "When to fall back" table, produced by a real peer on 127.0.0.1 and seen
/// through the real client in GrpcOnly mode (its own channel and SocketsHttpHandler unless the test
/// must trust a self-signed certificate), one attempt per call: the failure the caller gets, and
/// that it still carries what the fallback decides on (the classifier's verdict, proof of non-delivery).
/// </summary>
[Trait("Category", "Reliability")]
public class GrpcOnlyClientLoopbackTests(LoopbackPeers peers) : IClassFixture<LoopbackPeers>
{
    private const string Suffix = "loopback-test/1";

    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetAsync_NothingListening_IsNoConnection()
    {
        using VaultOperationsClient client = CreateClient(ClosedPort.Reserve());

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client));

        AssertNotServed(thrown, FallbackReason.GrpcNoConnection, requestMayHaveActed: false);
        Assert.Equal(StatusCode.Unavailable, thrown.StatusCode);
        // Our own connect (no Grpc.Net.Client subchannel): SocketsHttpHandler reports it.
        var sendFailure = Assert.IsType<HttpRequestException>(thrown.Status.DebugException);
        Assert.Equal(HttpRequestError.ConnectionError, sendFailure.HttpRequestError);
        var refused = Assert.IsType<SocketException>(sendFailure.InnerException);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task DeleteAsync_NothingListening_RetriedAndNeverOutcomeUnknown()
    {
        // Provably never sent, so even Delete may go again: every attempt fails the same way.
        using VaultOperationsClient client = CreateClient(ClosedPort.Reserve(), o =>
        {
            o.Retry.MaxAttempts = 2;
            o.Retry.InitialBackoff = TimeSpan.FromMilliseconds(1);
            o.Retry.MaxBackoff = TimeSpan.FromMilliseconds(2);
        });

        var thrown = await Assert.ThrowsAsync<RpcException>(() => client.DeleteAsync("operations/x").WaitAsync(TestTimeout));

        Assert.IsNotType<VaultOutcomeUnknownException>(thrown);
        Assert.Equal(StatusCode.Unavailable, thrown.StatusCode);
        Assert.True(DeliveryEvidence.ProvesNotDelivered(thrown));
    }

    [Fact]
    public async Task GetAsync_ConnectionResetOnAccept_IsNotServed()
    {
        using VaultOperationsClient client = CreateClient(peers.ResetOnAccept.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client));

        // Which the client sees first is a race: the reset (SocketException: no connection) or the
        // closed stream mid-handshake (an accepted connection that did not serve HTTP/2). Either way
        // Auto would fall back.
        GrpcNotServedVerdict? verdict = GrpcFailureClassifier.Classify(thrown, callerCancelled: false);
        Assert.NotNull(verdict);
        Assert.Contains(verdict.Value.Reason, new[] { FallbackReason.GrpcNoConnection, FallbackReason.GrpcNotServed });
    }

    [Fact]
    public async Task GetAsync_KestrelHttp1OnlyOverH2c_IsNotServedWithInternal()
    {
        using VaultOperationsClient client = CreateClient(peers.Http1OnlyKestrel.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client));

        AssertNotServed(thrown, FallbackReason.GrpcNotServed, requestMayHaveActed: false);
        Assert.Equal(StatusCode.Internal, thrown.StatusCode);
        // Usually Kestrel's GOAWAY HTTP_1_1_REQUIRED arrives; now and then (measured under load) its
        // close overtakes the GOAWAY and the client reports a handshake that never completed.
        HttpProtocolException? goAway = FindInChain<HttpProtocolException>(thrown);
        if (goAway is not null)
        {
            Assert.Equal(0xdL, goAway.ErrorCode); // HTTP_1_1_REQUIRED
        }
        else
        {
            Assert.Contains("HTTP/2 handshake", FindInChain<HttpRequestException>(thrown)?.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetAsync_PlainHttp1ServerOverH2c_IsNotServedWithInternal()
    {
        using VaultOperationsClient client = CreateClient(peers.Http1OnlyRaw.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client));

        AssertNotServed(thrown, FallbackReason.GrpcNotServed, requestMayHaveActed: false);
        Assert.Equal(StatusCode.Internal, thrown.StatusCode);
        Assert.Equal(0x1L, FindInChain<HttpProtocolException>(thrown)?.ErrorCode); // PROTOCOL_ERROR
    }

    [Fact]
    public async Task GetAsync_TlsServerWithoutAlpn_IsNotServedWithVersionNegotiationError()
    {
        using var handler = TrustingHandler();
        using VaultOperationsClient client = CreateClient(peers.TlsWithoutAlpn.Address, o => o.GrpcHttpHandler = handler);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client));

        AssertNotServed(thrown, FallbackReason.GrpcNotServed, requestMayHaveActed: false);
        Assert.Equal(StatusCode.Internal, thrown.StatusCode);
        Assert.Equal(HttpRequestError.VersionNegotiationError, FindInChain<HttpRequestException>(thrown)?.HttpRequestError);
    }

    [Fact]
    public async Task GetAsync_KestrelTlsHttp1Only_IsNotServed()
    {
        using var handler = TrustingHandler();
        using VaultOperationsClient client = CreateClient(peers.TlsHttp1OnlyKestrel.Address, o => o.GrpcHttpHandler = handler);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client));

        // Kestrel refuses h2 in ALPN with a TLS alert; OpenSSL names it, other TLS stacks may not.
        GrpcNotServedVerdict? verdict = GrpcFailureClassifier.Classify(thrown, callerCancelled: false);
        Assert.NotNull(verdict);
        FallbackReason expected = OperatingSystem.IsLinux() ? FallbackReason.GrpcNotServed : verdict.Value.Reason;
        Assert.Equal(expected, verdict.Value.Reason);
        Assert.Contains(verdict.Value.Reason, new[] { FallbackReason.GrpcNotServed, FallbackReason.GrpcNoConnection });
        Assert.Equal(HttpRequestError.SecureConnectionError, FindInChain<HttpRequestException>(thrown)?.HttpRequestError);
        Assert.True(DeliveryEvidence.ProvesNotDelivered(thrown));
    }

    [Fact]
    public async Task GetAsync_Http2GatewayAnswering503_IsNotServedWithUnavailable()
    {
        using VaultOperationsClient client = CreateClient(peers.Http2Answering503.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client));

        // The gateway may have forwarded the request before it failed.
        AssertNotServed(thrown, FallbackReason.GrpcNotServed, requestMayHaveActed: true);
        Assert.Equal(StatusCode.Unavailable, thrown.StatusCode);
        Assert.Equal("Bad gRPC response. HTTP status code: 503", thrown.Status.Detail);
    }

    [Fact]
    public async Task DeleteAsync_Http2GatewayAnswering503_ThrowsOutcomeUnknown()
    {
        using VaultOperationsClient client = CreateClient(peers.Http2Answering503.Address);

        var thrown = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => client.DeleteAsync("operations/x").WaitAsync(TestTimeout));

        Assert.Equal("DeleteOperation", thrown.Method);
        Assert.Equal(StatusCode.Unavailable, thrown.StatusCode);
    }

    [Fact]
    public async Task GetAsync_Http2LoginPageAsTextHtml_IsNotServedDespiteCancelled()
    {
        using var caller = new CancellationTokenSource();
        using VaultOperationsClient client = CreateClient(peers.Http2AnsweringHtml.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client, "operations/x", caller.Token));

        AssertNotServed(thrown, FallbackReason.GrpcNotServed, requestMayHaveActed: false);
        Assert.Equal(StatusCode.Cancelled, thrown.StatusCode);
        Assert.Equal("Bad gRPC response. Invalid content-type value: text/html", thrown.Status.Detail);
        Assert.False(caller.IsCancellationRequested);
    }

    [Fact]
    public async Task GetAsync_Http2FrontAnswering404_IsUnimplemented()
    {
        using VaultOperationsClient client = CreateClient(peers.Http2Answering404.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client));

        AssertNotServed(thrown, FallbackReason.GrpcUnimplemented, requestMayHaveActed: false);
        Assert.Equal(StatusCode.Unimplemented, thrown.StatusCode);
    }

    [Fact]
    public async Task DeleteAsync_GrpcServerWithoutTheMethod_IsUnimplemented()
    {
        using VaultOperationsClient client = CreateClient(peers.Grpc.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => client.DeleteAsync("operations/x").WaitAsync(TestTimeout));

        Assert.IsNotType<VaultOutcomeUnknownException>(thrown);
        AssertNotServed(thrown, FallbackReason.GrpcUnimplemented, requestMayHaveActed: false);
        Assert.Equal(StatusCode.Unimplemented, thrown.StatusCode);
    }

    [Fact]
    public async Task WaitAsync_GrpcServerWithoutWaitOperation_PollsGetOverGrpc()
    {
        using VaultOperationsClient client = CreateClient(peers.Grpc.Address);
        string name = UniqueName("wait");

        VaultResponse<VaultGrpc.LongRunning.Operation> response = await client.WaitAsync(name, TimeSpan.FromSeconds(5)).WaitAsync(TestTimeout);

        Assert.True(response.Value.Done);
        Assert.Equal(Transport.Grpc, response.Call.Transport);
        // The server records only the methods it implements: the Get poll that replaced WaitOperation.
        ReceivedCall poll = Assert.Single(peers.Journal.Calls, c => c.Header("x-goog-request-params") == "name=" + Uri.EscapeDataString(name));
        Assert.Equal("/google.longrunning.Operations/GetOperation", poll.Method);
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
        using VaultOperationsClient client = CreateClient(peers.Grpc.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client, ScriptedOperationsService.FailPrefix + code));

        Assert.Equal(code, thrown.StatusCode);
        Assert.Equal($"scripted {code}", thrown.Status.Detail);
        Assert.Null(thrown.Status.DebugException);
        Assert.Null(GrpcFailureClassifier.Classify(thrown, callerCancelled: false));
    }

    [Fact]
    public async Task GetAsync_GrpcServerResetsStream_RethrowsInternalWithoutFallback()
    {
        using VaultOperationsClient client = CreateClient(peers.Grpc.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client, ScriptedOperationsService.AbortBeforeHeaders));

        Assert.Equal(StatusCode.Internal, thrown.StatusCode);
        Assert.Null(GrpcFailureClassifier.Classify(thrown, callerCancelled: false));
    }

    [Fact]
    public async Task GetAsync_DeadlinePassesWhileServerThinks_IsDeadlineExceeded()
    {
        using VaultOperationsClient client = CreateClient(peers.Grpc.Address);

        var thrown = await Assert.ThrowsAsync<RpcException>(
            () => client.GetAsync(ScriptedOperationsService.Hang, TimeSpan.FromMilliseconds(300)).WaitAsync(TestTimeout));

        Assert.Equal(StatusCode.DeadlineExceeded, thrown.StatusCode);
    }

    [Fact]
    public async Task GetAsync_CallerCancelsWhileServerThinks_ThrowsOperationCanceled()
    {
        using VaultOperationsClient client = CreateClient(peers.Grpc.Address);
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.GetAsync(ScriptedOperationsService.Hang, Timeout.InfiniteTimeSpan, caller.Token).WaitAsync(TestTimeout));

        Assert.Equal(caller.Token, thrown.CancellationToken);
    }

    [Fact]
    public async Task GetAsync_GrpcServerAnswers_ServerReceivesHeadersAndDeadline()
    {
        using VaultOperationsClient client = CreateClient(peers.Grpc.Address);
        string name = UniqueName("headers test");
        TimeSpan timeout = TimeSpan.FromHours(1);
        DateTime deadline = DateTime.UtcNow + timeout;

        VaultResponse<VaultGrpc.LongRunning.Operation> response = await client.GetAsync(name, timeout).WaitAsync(TestTimeout);

        Assert.Equal(name, response.Value.Name);
        ReceivedCall received = Assert.Single(peers.Journal.Calls, c => c.Header("x-goog-request-params") == "name=" + Uri.EscapeDataString(name));
        Assert.Equal("/google.longrunning.Operations/GetOperation", received.Method);
        Assert.Equal(ApiClientHeader.Value(Suffix), received.Header("x-goog-api-client"));
        Assert.Null(received.Header("authorization"));
        // grpc-timeout travels relative and is rounded; the server's deadline lands near ours.
        Assert.InRange(received.Deadline, deadline.AddMinutes(-5), deadline.AddMinutes(1));
    }

    [Fact]
    public async Task ListPageAsync_GrpcServerAnswers_RoutesOnTheCollection()
    {
        using VaultOperationsClient client = CreateClient(peers.Grpc.Address);

        VaultResponse<VaultGrpc.LongRunning.ListOperationsResponse> page = await client.ListPageAsync(filter: "f").WaitAsync(TestTimeout);

        Assert.Equal("operations/listed", Assert.Single(page.Value.Operations).Name);
        Assert.Contains(peers.Journal.Calls, c => c.Method.EndsWith("/ListOperations", StringComparison.Ordinal) && c.Header("x-goog-request-params") == "name=operations");
    }

    /// <summary>The real client on its own channel to <paramref name="endpoint"/>: GrpcOnly, one attempt per call unless configured.</summary>
    private static VaultOperationsClient CreateClient(Uri endpoint, Action<VaultOperationsClientOptions>? configure = null)
    {
        var options = new VaultOperationsClientOptions
        {
            Endpoint = endpoint,
            Credentials = VaultCredentials.None,
            TransportMode = TransportMode.GrpcOnly,
            ApiClientSuffix = Suffix,
            DefaultTimeout = TimeSpan.FromSeconds(15),
            Retry = { MaxAttempts = 1 },
        };
        configure?.Invoke(options);
        return VaultOperationsClient.Create(options);
    }

    private static Task GetAsync(VaultOperationsClient client, string name = "operations/x", CancellationToken cancellationToken = default) =>
        client.GetAsync(name, cancellationToken: cancellationToken).WaitAsync(TestTimeout);

    private static string UniqueName(string prefix) => $"operations/{prefix}/{Guid.NewGuid():N}";

    /// <summary>
    /// The failure still says what Auto would do with it: the classifier finds gRPC not served for
    /// <paramref name="reason"/>, and the client marked it not delivered exactly when nothing acted on it.
    /// </summary>
    private static void AssertNotServed(RpcException thrown, FallbackReason reason, bool requestMayHaveActed)
    {
        Assert.Equal(new GrpcNotServedVerdict(reason, requestMayHaveActed), GrpcFailureClassifier.Classify(thrown, callerCancelled: false));
        Assert.Equal(!requestMayHaveActed, DeliveryEvidence.ProvesNotDelivered(thrown));
    }

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
