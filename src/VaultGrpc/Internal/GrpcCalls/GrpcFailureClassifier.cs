using System.Net.Sockets;
using System.Text;
using Grpc.Core;
using VaultGrpc.Internal.Delivery;
using VaultGrpc.Internal.GrpcCalls.Connections;
using VaultGrpc.Internal.Text;

namespace VaultGrpc.Internal.GrpcCalls;

/// <summary>
/// Decides whether a failed gRPC call was answered by the service, or whether gRPC could not serve
/// it at all (so REST may). Grpc.Net.Client reports "could not serve" under several codes —
/// Unavailable, Internal, even Cancelled — so the decision rests on the cause: the exception behind
/// the status, grpc-dotnet's "Bad gRPC response" checks, and whether the caller's token fired.
/// </summary>
/// <remarks>
/// What Grpc.Net.Client 2.85 reports, measured against real loopback peers (see the integration tests):
/// not listening → Unavailable, SocketException at connect; HTTP/1.1-only (h2c) → Internal,
/// HttpProtocolException PROTOCOL_ERROR or HTTP_1_1_REQUIRED; TLS without ALPN → Internal,
/// VersionNegotiationError; TLS refusing h2 → Internal, SecureConnectionError; HTTP/2 503 or 200
/// text/html → Unavailable or Cancelled with "Bad gRPC response."; 404 or a missing method → Unimplemented.
/// A status sent by a gRPC server arrives without a DebugException and is always an answer.
/// </remarks>
internal static class GrpcFailureClassifier
{
    // Grpc.Net.Client's own wording (not localized) for a response it rejected before reading any
    // gRPC status: wrong HTTP status, HTTP/1.x, missing or non-gRPC content-type.
    private const string BadGrpcResponse = "Bad gRPC response.";

    // What follows BadGrpcResponse when the HTTP status was not 200.
    private const string HttpStatusPrefix = "HTTP status code:";

    // HTTP/2 error codes (RFC 9113 §7) that say the peer does not speak HTTP/2 as gRPC needs it.
    private const long Http2ProtocolError = 0x1;
    private const long Http2Http11Required = 0xd;
    private const long Http2RefusedStream = 0x7;

    private const int MaxDescriptionLength = 300;

    /// <summary>
    /// Why gRPC could not serve the call that failed with <paramref name="error"/>, and whether its
    /// request may have been acted on; null when the service answered it, the deadline expired, or
    /// the caller cancelled: then it must not fall back.
    /// </summary>
    public static GrpcNotServedVerdict? Classify(RpcException error, bool callerCancelled)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (callerCancelled)
        {
            return null;
        }

        switch (error.StatusCode)
        {
            case StatusCode.Unimplemented:
                // A gRPC server without the method, or grpc-dotnet's reading of HTTP 404 from a
                // non-gRPC front: either way nothing acted on the request.
                return new(FallbackReason.GrpcUnimplemented, RequestMayHaveActed: false);
            case StatusCode.DeadlineExceeded:
                // The caller's time budget is spent: trying REST would overrun it.
                return null;
        }

        Exception? cause = error.Status.DebugException;
        if (cause is ConnectionBudgetExpiredException budget)
        {
            return new(FallbackReason.GrpcNoConnection, budget.RequestStarted, OpensStickyWindow: budget.FullBudget);
        }

        if (cause is null)
        {
            // Without a local exception, either grpc-dotnet rejected a non-gRPC HTTP answer, or a
            // gRPC server sent this status itself (Unavailable and Internal included): an answer.
            return ClassifyNonGrpcAnswer(error.Status.Detail);
        }

        // One walk of the cause chain serves both the reason and the verdict on delivery.
        bool notDelivered = DeliveryEvidence.ProvesNotDelivered(cause);
        FallbackReason? reason = cause switch
        {
            // grpc-dotnet's own connect attempt (its subchannel) failed: refused, reset, unreachable.
            SocketException => FallbackReason.GrpcNoConnection,
            // HttpClient.SendAsync failed, so no response headers ever arrived.
            HttpRequestException sendFailure => ClassifySendFailure(sendFailure, notDelivered),
            // Anything else (a body read cut off after gRPC headers, a token source failure) is not
            // evidence that gRPC is absent; the call stays on gRPC and the retry policy decides.
            _ => null,
        };
        return reason is FallbackReason notServed
            ? new(notServed, RequestMayHaveActed: !notDelivered)
            : null;
    }

    /// <summary>A short, token-free, one-line account of <paramref name="error"/> for logs and <see cref="VaultCallInfo.FallbackDetail"/>.</summary>
    /// <param name="error">The failure.</param>
    /// <param name="knownSecrets">The client's tokens, masked wherever the text echoes them; may be null.</param>
    public static string Describe(RpcException error, IReadOnlyList<string>? knownSecrets = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var text = new StringBuilder(error.StatusCode.ToString());
        string detail = error.Status.Detail;
        if (detail.Length > 0)
        {
            text.Append(": ").Append(detail);
        }

        Exception? innermost = Innermost(error.Status.DebugException);
        if (innermost is not null && !detail.Contains(innermost.Message, StringComparison.Ordinal))
        {
            text.Append(" (").Append(innermost.GetType().Name).Append(": ").Append(innermost.Message).Append(')');
        }

        // Redacted on the whole text before it is cut, so no cut hides a token.
        return ServerText.Snippet(text.ToString(), MaxDescriptionLength, knownSecrets);
    }

    // grpc-dotnet rejects a non-gRPC HTTP answer with "Bad gRPC response. …". Only some mean that
    // gRPC is not served here. HTTP/1.x or a non-gRPC content type (a proxy's page) prove it, and
    // that nothing behind acted. A gateway's 502/503 proves it too, but not that the backend did
    // not act first (Envoy's "upstream reset before headers" follows a request it forwarded). A bare
    // 401/403/429/504 from a front is its answer to this caller (a rejected token, a throttle):
    // REST through the same front would get the same, so the code stands and nothing sticks.
    private static GrpcNotServedVerdict? ClassifyNonGrpcAnswer(string detail)
    {
        if (!detail.StartsWith(BadGrpcResponse, StringComparison.Ordinal))
        {
            return null;
        }

        ReadOnlySpan<char> rest = detail.AsSpan(BadGrpcResponse.Length).TrimStart();
        if (rest.StartsWith(HttpStatusPrefix, StringComparison.Ordinal))
        {
            ReadOnlySpan<char> code = rest[HttpStatusPrefix.Length..].TrimStart();
            bool gatewayFailure = code.StartsWith("502", StringComparison.Ordinal) || code.StartsWith("503", StringComparison.Ordinal);
            return gatewayFailure ? new(FallbackReason.GrpcNotServed, RequestMayHaveActed: true) : null;
        }

        return new(FallbackReason.GrpcNotServed, RequestMayHaveActed: false);
    }

    private static FallbackReason? ClassifySendFailure(HttpRequestException failure, bool notDelivered)
    {
        switch (failure.HttpRequestError)
        {
            case HttpRequestError.VersionNegotiationError:
                // TLS without ALPN h2: the server offers only HTTP/1.1.
                return FallbackReason.GrpcNotServed;
            case HttpRequestError.InvalidResponse:
                // Not an HTTP/2 answer gRPC can read (an HTTP/1.x reply to the preface, or headers
                // beyond the limit); the caller weighs whether the request may have been acted on.
                return FallbackReason.GrpcNotServed;
            case HttpRequestError.SecureConnectionError:
                return RefusedHttp2InTls(failure) ? FallbackReason.GrpcNotServed : FallbackReason.GrpcNoConnection;
            case HttpRequestError.NameResolutionError:
            case HttpRequestError.ConnectionError:
            case HttpRequestError.ProxyTunnelError:
            case HttpRequestError.ResponseEnded:
                return FallbackReason.GrpcNoConnection;
        }

        if (failure.InnerException is null)
        {
            // Measured (rarely, under load) against Kestrel's HTTP/1.1-only endpoint: a bare
            // "server did not complete the HTTP/2 handshake" with no cause. No handshake, so no
            // request was delivered; the peer does not serve gRPC.
            return FallbackReason.GrpcNotServed;
        }

        for (Exception? inner = failure.InnerException; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case HttpProtocolException { ErrorCode: Http2ProtocolError or Http2Http11Required } when notDelivered:
                    // Before our request left: an HTTP/1.1 server read the h2c preface as garbage,
                    // or said so (Kestrel's GOAWAY).
                    return FallbackReason.GrpcNotServed;
                case HttpProtocolException { ErrorCode: Http2RefusedStream }:
                    // RFC 9113 §8.7: refused before any processing; another connection may serve.
                    return FallbackReason.GrpcNoConnection;
                case HttpProtocolException:
                    // A stream reset by an HTTP/2 server after our request reached it (PROTOCOL_ERROR
                    // included: it says nothing of HTTP/1.1 once the request went out): an answer.
                    return null;
                case SocketException:
                    return FallbackReason.GrpcNoConnection;
            }
        }

        // No HTTP/2 error code and no socket error, but the peer closed the connection before any
        // response, typically mid-handshake (measured: "the server did not complete the HTTP/2
        // handshake", from a peer that accepts and closes, and from Kestrel's HTTP/1.1-only endpoint
        // when its close overtakes its GOAWAY). Something listens there, but it does not serve gRPC.
        for (Exception? inner = failure.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is IOException)
            {
                return FallbackReason.GrpcNotServed;
            }
        }

        return null;
    }

    // OpenSSL reports a server that accepts TLS but not h2 (ALPN) as alert 120 "no application
    // protocol". Other TLS stacks word it differently; then it stays GrpcNoConnection, which falls back too.
    private static bool RefusedHttp2InTls(HttpRequestException failure)
    {
        for (Exception? inner = failure.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner.Message.Contains("no application protocol", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static Exception? Innermost(Exception? exception)
    {
        while (exception?.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
