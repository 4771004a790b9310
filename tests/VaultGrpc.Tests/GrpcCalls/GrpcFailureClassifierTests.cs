using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.Delivery;
using VaultGrpc.Internal.GrpcCalls;

namespace VaultGrpc.Tests.GrpcCalls;

/// <summary>
/// The classifier over RpcExceptions shaped as Grpc.Net.Client 2.85 builds them (details and
/// exception chains copied from what the loopback integration tests measured).
/// </summary>
public class GrpcFailureClassifierTests
{
    private const string StartFailed = "Error starting gRPC call. ";

    public static TheoryData<StatusCode> ServiceAnswerCodes() =>
    [
        StatusCode.NotFound,
        StatusCode.PermissionDenied,
        StatusCode.Unauthenticated,
        StatusCode.InvalidArgument,
        StatusCode.FailedPrecondition,
        StatusCode.Aborted,
        StatusCode.ResourceExhausted,
        StatusCode.DeadlineExceeded,
        StatusCode.Cancelled,
        StatusCode.AlreadyExists,
        StatusCode.OutOfRange,
        StatusCode.DataLoss,
        StatusCode.Unknown,
        StatusCode.Unavailable,
        StatusCode.Internal,
    ];

    [Theory]
    [MemberData(nameof(ServiceAnswerCodes))]
    public void Classify_StatusSentByGrpcServer_IsAnAnswer(StatusCode code)
    {
        // A grpc-status from the server carries no local exception.
        var error = new RpcException(new Status(code, "from the service"));

        Assert.Null(GrpcFailureClassifier.Classify(error, callerCancelled: false));
    }

    [Fact]
    public void Classify_NotListening_IsNoConnection()
    {
        var error = Failure(StatusCode.Unavailable, "Error connecting to subchannel.", new SocketException((int)SocketError.ConnectionRefused));

        Assert.Equal(FallbackReason.GrpcNoConnection, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Fact]
    public void Classify_UnavailableWithoutDebugException_IsAnAnswer()
    {
        var error = new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel."));

        Assert.Null(GrpcFailureClassifier.Classify(error, callerCancelled: false));
    }

    [Fact]
    public void Classify_ResetOnConnect_IsNoConnection()
    {
        var error = Failure(StatusCode.Unavailable, "Error connecting to subchannel.", new SocketException((int)SocketError.Shutdown));

        Assert.Equal(FallbackReason.GrpcNoConnection, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Theory]
    [InlineData(0x1L)] // PROTOCOL_ERROR: an HTTP/1.1 server answered the h2c preface with HTTP/1.1 text
    [InlineData(0xdL)] // HTTP_1_1_REQUIRED: Kestrel's HTTP/1.1-only endpoint says so
    public void Classify_Http1OnlyOverH2c_IsNotServed(long http2ErrorCode)
    {
        // The budget handler marks a failure whose request message never left.
        var protocol = new HttpProtocolException(http2ErrorCode, "The HTTP/2 server closed the connection.", null);
        var sendFailure = DeliveryEvidence.MarkNotDelivered(new HttpRequestException(HttpRequestError.HttpProtocolError, protocol.Message, protocol));
        var error = Failure(StatusCode.Internal, StartFailed + "HttpRequestException", sendFailure);

        Assert.Equal(new GrpcNotServedVerdict(FallbackReason.GrpcNotServed, RequestMayHaveActed: false), GrpcFailureClassifier.Classify(error, callerCancelled: false));
    }

    [Theory]
    [Trait("Category", "Reliability")]
    [InlineData(0x1L)] // PROTOCOL_ERROR
    [InlineData(0x2L)] // INTERNAL_ERROR
    [InlineData(0x8L)] // CANCEL
    public void Classify_StreamResetAfterRequestLeft_IsAnAnswer(long http2ErrorCode)
    {
        // No mark: the request message went out, so an HTTP/2 server reset a stream it received.
        var protocol = new HttpProtocolException(http2ErrorCode, "The HTTP/2 server reset the stream.", null);
        var error = Failure(StatusCode.Internal, StartFailed + "HttpRequestException", new HttpRequestException(HttpRequestError.HttpProtocolError, protocol.Message, protocol));

        Assert.Null(GrpcFailureClassifier.Classify(error, callerCancelled: false));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void Classify_RefusedStream_IsNoConnectionThatNeverActed()
    {
        var protocol = new HttpProtocolException(0x7, "The HTTP/2 server reset the stream. HTTP/2 error code 'REFUSED_STREAM' (0x7).", null);
        var error = Failure(StatusCode.Unavailable, StartFailed + "HttpRequestException", new HttpRequestException(HttpRequestError.HttpProtocolError, protocol.Message, protocol));

        Assert.Equal(new GrpcNotServedVerdict(FallbackReason.GrpcNoConnection, RequestMayHaveActed: false), GrpcFailureClassifier.Classify(error, callerCancelled: false));
    }

    [Theory]
    [Trait("Category", "Reliability")]
    [InlineData(HttpRequestError.ResponseEnded)]
    [InlineData(HttpRequestError.InvalidResponse)]
    [InlineData(HttpRequestError.Unknown)]
    public void Classify_ConnectionLostAfterRequestLeft_MayHaveActed(HttpRequestError cause)
    {
        var reset = new IOException("Unable to read data from the transport connection", new SocketException((int)SocketError.ConnectionReset));
        var error = Failure(StatusCode.Unavailable, StartFailed + "HttpRequestException", new HttpRequestException(cause, "lost", reset));

        Assert.True(GrpcFailureClassifier.Classify(error, callerCancelled: false)?.RequestMayHaveActed);
    }

    [Theory]
    [Trait("Category", "Reliability")]
    [InlineData(HttpRequestError.NameResolutionError)]
    [InlineData(HttpRequestError.ConnectionError)]
    [InlineData(HttpRequestError.SecureConnectionError)]
    [InlineData(HttpRequestError.ProxyTunnelError)]
    [InlineData(HttpRequestError.VersionNegotiationError)]
    public void Classify_ConnectionNeverEstablished_NeverActed(HttpRequestError cause)
    {
        var error = Failure(StatusCode.Unavailable, StartFailed + "HttpRequestException", new HttpRequestException(cause, "no connection"));

        Assert.False(GrpcFailureClassifier.Classify(error, callerCancelled: false)?.RequestMayHaveActed);
    }

    [Theory]
    [Trait("Category", "Reliability")]
    [InlineData("Bad gRPC response. HTTP status code: 503", true)]
    [InlineData("Bad gRPC response. HTTP status code: 502", true)]
    [InlineData("Bad gRPC response. Invalid content-type value: text/html", false)]
    [InlineData("Bad gRPC response. Response protocol downgraded to HTTP/1.1.", false)]
    public void Classify_NonGrpcAnswer_GatewayFailuresMayHaveActed(string detail, bool mayHaveActed)
    {
        var error = new RpcException(new Status(StatusCode.Unavailable, detail));

        Assert.Equal(new GrpcNotServedVerdict(FallbackReason.GrpcNotServed, mayHaveActed), GrpcFailureClassifier.Classify(error, callerCancelled: false));
    }

    [Fact]
    public void Classify_TlsServerWithoutAlpn_IsNotServed()
    {
        var error = Failure(
            StatusCode.Internal,
            StartFailed + "HttpRequestException: Requesting HTTP version 2.0 with version policy RequestVersionExact while unable to establish HTTP/2 connection.",
            new HttpRequestException(HttpRequestError.VersionNegotiationError, "server offers only version fallback"));

        Assert.Equal(FallbackReason.GrpcNotServed, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Fact]
    public void Classify_TlsServerRefusingH2ByAlpnAlert_IsNotServed()
    {
        var alert = new AuthenticationException("Authentication failed", new Exception("error:0A000460:SSL routines::tlsv1 alert no application protocol"));
        var error = Failure(StatusCode.Internal, StartFailed + "HttpRequestException", new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established", alert));

        Assert.Equal(FallbackReason.GrpcNotServed, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Fact]
    public void Classify_UntrustedCertificate_IsNoConnection()
    {
        var untrusted = new AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot");
        var error = Failure(StatusCode.Internal, StartFailed + "HttpRequestException", new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established", untrusted));

        Assert.Equal(FallbackReason.GrpcNoConnection, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Theory]
    [InlineData(HttpRequestError.NameResolutionError)]
    [InlineData(HttpRequestError.ConnectionError)]
    [InlineData(HttpRequestError.ProxyTunnelError)]
    [InlineData(HttpRequestError.ResponseEnded)]
    public void Classify_SendFailedBeforeAnyResponse_IsNoConnection(HttpRequestError cause)
    {
        var error = Failure(StatusCode.Unavailable, StartFailed + "HttpRequestException", new HttpRequestException(cause, "send failed"));

        Assert.Equal(FallbackReason.GrpcNoConnection, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Fact]
    public void Classify_SendFailedWithSocketReset_IsNoConnection()
    {
        var reset = new IOException("Unable to read data from the transport connection", new SocketException((int)SocketError.ConnectionReset));
        var error = Failure(StatusCode.Unavailable, StartFailed + "HttpRequestException", new HttpRequestException(HttpRequestError.Unknown, "send failed", reset));

        Assert.Equal(FallbackReason.GrpcNoConnection, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Fact]
    public void Classify_PeerClosedDuringHttp2Handshake_IsNotServed()
    {
        // Measured against a TCP peer that accepts and closes at once.
        var handshake = new IOException("An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.", new ObjectDisposedException("SslStream"));
        var error = Failure(StatusCode.Unavailable, StartFailed + "HttpRequestException", new HttpRequestException(HttpRequestError.Unknown, "An error occurred while sending the request.", handshake));

        Assert.Equal(FallbackReason.GrpcNotServed, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Fact]
    public void Classify_BareHandshakeFailureWithoutCause_IsNotServed()
    {
        // Measured under load against Kestrel's HTTP/1.1-only endpoint: no inner exception at all.
        var handshake = new HttpRequestException("An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.");
        var error = Failure(StatusCode.Internal, StartFailed + "HttpRequestException", handshake);

        Assert.Equal(FallbackReason.GrpcNotServed, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Fact]
    public void Classify_Http2HandshakeEndedEarly_IsNotServed()
    {
        // Measured against a TCP peer that reads the preface and closes: HttpRequestError.InvalidResponse.
        var ended = new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely while waiting for the next frame from the server.");
        var handshake = new HttpIOException(HttpRequestError.InvalidResponse, "An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.", ended);
        var error = Failure(StatusCode.Unavailable, StartFailed + "HttpRequestException", new HttpRequestException(HttpRequestError.InvalidResponse, handshake.Message, handshake));

        Assert.Equal(FallbackReason.GrpcNotServed, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, "Bad gRPC response. HTTP status code: 503")]
    [InlineData(StatusCode.Unavailable, "Bad gRPC response. HTTP status code: 502")]
    [InlineData(StatusCode.Internal, "Bad gRPC response. Response protocol downgraded to HTTP/1.1.")]
    [InlineData(StatusCode.Cancelled, "Bad gRPC response. Response did not have a content-type header.")]
    public void Classify_NonGrpcHttpAnswer_IsNotServed(StatusCode code, string detail)
    {
        var error = new RpcException(new Status(code, detail));

        Assert.Equal(FallbackReason.GrpcNotServed, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Theory]
    [InlineData(StatusCode.Unauthenticated, "Bad gRPC response. HTTP status code: 401")]
    [InlineData(StatusCode.PermissionDenied, "Bad gRPC response. HTTP status code: 403")]
    [InlineData(StatusCode.Unavailable, "Bad gRPC response. HTTP status code: 429")]
    [InlineData(StatusCode.Unavailable, "Bad gRPC response. HTTP status code: 504")]
    [InlineData(StatusCode.Internal, "Bad gRPC response. HTTP status code: 400")]
    public void Classify_FrontRejectingThisCaller_IsAnAnswerNotAFallback(StatusCode code, string detail)
    {
        // A bare 401/403/429/504 from a front: a rejected token or a throttle, which REST through
        // the same front would meet too; falling back would double the traffic under throttling.
        var error = new RpcException(new Status(code, detail));

        Assert.Null(GrpcFailureClassifier.Classify(error, callerCancelled: false));
    }

    [Fact]
    public void Classify_HtmlLoginPageNotCancelledByCaller_IsNotServed()
    {
        var error = new RpcException(new Status(StatusCode.Cancelled, "Bad gRPC response. Invalid content-type value: text/html"));

        Assert.Equal(FallbackReason.GrpcNotServed, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Fact]
    public void Classify_HtmlLoginPageWhenCallerCancelled_IsNotAFallback()
    {
        var error = new RpcException(new Status(StatusCode.Cancelled, "Bad gRPC response. Invalid content-type value: text/html"));

        Assert.Null(GrpcFailureClassifier.Classify(error, callerCancelled: true));
    }

    [Fact]
    public void Classify_CancelledByCaller_IsNotAFallback()
    {
        var error = Failure(StatusCode.Cancelled, "Call canceled by the client.", new OperationCanceledException());

        Assert.Null(GrpcFailureClassifier.Classify(error, callerCancelled: true));
    }

    [Fact]
    public void Classify_ConnectionRefusedWhenCallerCancelled_IsNotAFallback()
    {
        var error = Failure(StatusCode.Unavailable, "Error connecting to subchannel.", new SocketException((int)SocketError.ConnectionRefused));

        Assert.Null(GrpcFailureClassifier.Classify(error, callerCancelled: true));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Method is unimplemented.")]
    [InlineData("Bad gRPC response. HTTP status code: 404")]
    public void Classify_Unimplemented_IsUnimplemented(string detail)
    {
        var error = new RpcException(new Status(StatusCode.Unimplemented, detail));

        Assert.Equal(FallbackReason.GrpcUnimplemented, GrpcFailureClassifier.Classify(error, callerCancelled: false)?.Reason);
    }

    [Fact]
    public void Classify_DeadlineExceededWithLocalCause_IsNotAFallback()
    {
        var error = Failure(StatusCode.DeadlineExceeded, "Deadline Exceeded", new SocketException((int)SocketError.TimedOut));

        Assert.Null(GrpcFailureClassifier.Classify(error, callerCancelled: false));
    }

    [Fact]
    public void Classify_StreamResetByHttp2ServerBeforeHeaders_IsAnAnswer()
    {
        var reset = new HttpProtocolException(0x2, "The HTTP/2 server reset the stream. HTTP/2 error code 'INTERNAL_ERROR' (0x2).", null);
        var error = Failure(StatusCode.Internal, StartFailed + "HttpRequestException", new HttpRequestException(HttpRequestError.HttpProtocolError, reset.Message, reset));

        Assert.Null(GrpcFailureClassifier.Classify(error, callerCancelled: false));
    }

    [Fact]
    public void Classify_BodyCutOffAfterGrpcHeaders_IsAnAnswer()
    {
        // Not wrapped in HttpRequestException: the response headers had arrived and were gRPC's.
        var error = Failure(StatusCode.Internal, StartFailed + "HttpProtocolException", new HttpProtocolException(0x1, "PROTOCOL_ERROR", null));

        Assert.Null(GrpcFailureClassifier.Classify(error, callerCancelled: false));
    }

    [Fact]
    public void Classify_TokenSourceNetworkFailure_IsNotAFallback()
    {
        // The metadata server being unreachable says nothing about the gRPC endpoint.
        var tokenFailure = new TokenAcquisitionException(new HttpRequestException(HttpRequestError.ConnectionError, "metadata server", new SocketException((int)SocketError.ConnectionRefused)));
        var error = Failure(StatusCode.Internal, StartFailed + "TokenAcquisitionException", tokenFailure);

        Assert.Null(GrpcFailureClassifier.Classify(error, callerCancelled: false));
    }

    [Fact]
    public void Describe_FailureWithCause_NamesCodeDetailAndInnermostCause()
    {
        var error = Failure(StatusCode.Unavailable, "Error connecting to subchannel.", new SocketException((int)SocketError.ConnectionRefused));

        string description = GrpcFailureClassifier.Describe(error);

        Assert.StartsWith("Unavailable: Error connecting to subchannel.", description, StringComparison.Ordinal);
        Assert.Contains(nameof(SocketException), description, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_LongMultiLineDetail_IsOneBoundedLine()
    {
        var error = new RpcException(new Status(StatusCode.Internal, "line one\r\nline two " + new string('x', 5000)));

        string description = GrpcFailureClassifier.Describe(error);

        Assert.DoesNotContain('\n', description);
        Assert.DoesNotContain('\r', description);
        Assert.True(description.Length <= 301, $"length {description.Length}");
        Assert.EndsWith("…", description, StringComparison.Ordinal);
    }

    private static RpcException Failure(StatusCode code, string detail, Exception debugException) =>
        new(new Status(code, detail, debugException));
}
