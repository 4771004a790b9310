using Grpc.Core;

namespace VaultGrpc.Cli.Clients;

/// <summary>
/// Rewords a failure to reach the server so that it names every endpoint that was tried and the
/// real cause (the socket's words, such as "Connection refused"), never a .NET type name. Without
/// it, an auto run that reached neither endpoint spoke only of REST, and a gRPC-only run said
/// "Error starting gRPC call. HttpRequestException: … SocketException: …".
/// </summary>
internal static class ConnectionFailureText
{
    /// <summary>A clearer exception for <paramref name="error"/>, or null when it is not a connection failure (or is already clear).</summary>
    /// <param name="error">What the client threw.</param>
    /// <param name="options">The options the client was made with.</param>
    /// <param name="status">What the client knows of gRPC, read right after the failure.</param>
    public static RpcException? Explain(RpcException error, VaultOperationsClientOptions options, VaultTransportStatus status)
    {
        // An unknown outcome has its own meaning and wording; a server's own UNAVAILABLE is left as it said it.
        if (error is VaultOutcomeUnknownException || error.StatusCode != StatusCode.Unavailable)
        {
            return null;
        }

        const string Unreachable = " could not be reached: ";
        string grpc = VaultSafeText.MaskEndpoint(options.Endpoint).TrimEnd('/');
        string rest = VaultSafeText.MaskEndpoint(options.RestEndpoint ?? options.Endpoint).TrimEnd('/');
        string detail = error.Status.Detail ?? string.Empty;
        bool restUnreachable = detail.StartsWith("The REST endpoint ", StringComparison.Ordinal);
        bool grpcUnreachable = error.Status.DebugException is HttpRequestException or IOException;

        string? explained = options.TransportMode switch
        {
            TransportMode.GrpcOnly when grpcUnreachable =>
                $"The gRPC endpoint {grpc}{Unreachable}{CauseOf(error.Status.DebugException!)}",
            TransportMode.Auto when restUnreachable && status.LastFallback != FallbackReason.None =>
                $"Neither endpoint could be reached. gRPC {grpc}: {GrpcSide(status)}; REST {rest}: {detail[(detail.IndexOf(Unreachable, StringComparison.Ordinal) is int at and >= 0 ? at + Unreachable.Length : 0)..]}",
            _ => null,
        };
        return explained is null ? null : new RpcException(new Status(StatusCode.Unavailable, explained, error.Status.DebugException), error.Trailers);
    }

    private static string GrpcSide(VaultTransportStatus status)
    {
        string reason = status.LastFallback switch
        {
            FallbackReason.GrpcNoConnection => "no connection",
            FallbackReason.GrpcUnimplemented => "the server does not implement the call",
            FallbackReason.GrpcNotServed => "not served over gRPC",
            FallbackReason.StickyRest => "skipped after an earlier failure",
            _ => "failed",
        };
        string cause = WithoutTypeNames(VaultSafeText.OneLine(status.LastFallbackDetail, 300))
            .Replace("Unavailable: ", string.Empty, StringComparison.Ordinal)
            .Replace("Error starting gRPC call. ", string.Empty, StringComparison.Ordinal);
        return cause.Length == 0 ? reason : $"{reason}, {cause}";
    }

    /// <summary>The message of the exception that says what went wrong on the wire, token-free and on one line.</summary>
    private static string CauseOf(Exception exception)
    {
        Exception cause = exception;
        while (cause is not HttpRequestException and not IOException && cause.InnerException is { } inner)
        {
            cause = inner;
        }

        return WithoutTypeNames(VaultSafeText.OneLine(cause.Message, 300));
    }

    /// <summary>Drops the "HttpRequestException: " style labels that gRPC's messages carry.</summary>
    private static string WithoutTypeNames(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\b[A-Z][A-Za-z]*Exception: ", string.Empty);
}
