using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;
using VaultGrpc.Internal.Auth;

namespace VaultGrpc.Internal.Delivery;

/// <summary>
/// What a failed attempt proves about its request: whether it provably never reached a server
/// that could act on it. The safety principle rests on this alone: a request may be sent again
/// (on any transport) only with such proof, unless the method is safe to repeat.
/// </summary>
/// <remarks>
/// Proof comes from two places: the kind of failure (errors SocketsHttpHandler raises only while
/// it establishes a connection, REFUSED_STREAM) and marks our own code sets where it knows more
/// (the gRPC handler saw the request message never handed to a connection; a deadline passed
/// before any I/O). Everything else — resets, a gateway's 503, an unreadable answer, a server's
/// own UNAVAILABLE — may have followed a request the server acted on.
/// </remarks>
internal static class DeliveryEvidence
{
    // Exception.Data costs nothing until a failure, so the hot path carries no evidence object.
    private const string NotDeliveredKey = "VaultGrpc.RequestNotDelivered";
    private const string MayHaveActedKey = "VaultGrpc.RequestMayHaveActed";

    // RFC 9113 §8.7: REFUSED_STREAM means the stream was closed before any application processing.
    private const long Http2RefusedStream = 0x7;

    /// <summary>Records on <paramref name="error"/> that its request provably never reached a server.</summary>
    public static TException MarkNotDelivered<TException>(TException error)
        where TException : Exception
    {
        error.Data[NotDeliveredKey] = true;
        return error;
    }

    /// <summary>
    /// Records on <paramref name="error"/> that the server may have acted whatever its status says
    /// (a client-made status after a 2xx answer, such as a body too large to read).
    /// </summary>
    public static TException MarkMayHaveActed<TException>(TException error)
        where TException : Exception
    {
        error.Data[MayHaveActedKey] = true;
        return error;
    }

    /// <summary>Whether <paramref name="error"/> was marked by <see cref="MarkMayHaveActed"/>.</summary>
    public static bool MarkedMayHaveActed(Exception error) => error.Data.Contains(MayHaveActedKey);

    /// <summary>Whether <paramref name="error"/>, or anything it wraps, proves the request was not delivered.</summary>
    public static bool ProvesNotDelivered(Exception? error)
    {
        // Below a send failure that may follow the request, a socket error proves nothing (it can
        // abort a live connection); only a stream refused before processing still does.
        bool belowSendFailure = false;
        for (int depth = 0; error is not null && depth < 16; depth++)
        {
            if (error.Data.Contains(NotDeliveredKey))
            {
                return true;
            }

            switch (error)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError or HttpRequestError.VersionNegotiationError }
                    when !belowSendFailure:
                    // SocketsHttpHandler raises these while it establishes a connection, before any request is on it.
                    return true;
                case HttpRequestException:
                    belowSendFailure = true;
                    break;
                case HttpProtocolException { ErrorCode: Http2RefusedStream }:
                    return true;
                case TokenAcquisitionException:
                    // Credentials are fetched before a request goes out (gRPC's call credentials
                    // and REST's header alike): the token source failing means nothing was sent.
                    return true;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused } when !belowSendFailure:
                    // Grpc.Net.Client's own connect (its subchannel, under a caller's SocketsHttpHandler)
                    // was refused: no connection, no request. Other socket errors can abort a live connection.
                    return true;
            }

            error = error is RpcException rpc ? rpc.Status.DebugException : error.InnerException;
        }

        return false;
    }
}
