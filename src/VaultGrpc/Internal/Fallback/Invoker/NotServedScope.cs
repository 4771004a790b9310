using Grpc.Core;
using VaultGrpc.Internal.GrpcCalls;

namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>
/// Whether a failure the classifier found "not served" speaks of one method or of the whole
/// channel. Only an UNIMPLEMENTED sent by a gRPC server about a method it does not have is
/// method-level; everything else (no connection, HTTP/1.x, a non-gRPC answer, a 404 from a
/// non-gRPC front, the service unknown) is about the channel.
/// </summary>
/// <remarks>
/// The servers' wordings for an unknown service, measured or read: grpc-dotnet (Kestrel)
/// "Service is unimplemented." (its unknown method is "Method is unimplemented.", and a generated
/// base method left unimplemented sends an empty message); grpc-go "unknown service X" (its unknown
/// method is "unknown method X for service Y"). Java's "Method not found: X" does not tell the two
/// apart, so it is taken as method-level: the narrower memory costs at most one failed gRPC round
/// trip per method and window, the wider one would send methods that gRPC serves to REST.
/// </remarks>
internal static class NotServedScope
{
    private const string GrpcDotnetUnknownService = "Service is unimplemented.";
    private const string GrpcGoUnknownService = "unknown service ";
    private const string BadGrpcResponse = "Bad gRPC response.";

    /// <summary>The reach of <paramref name="verdict"/>, which the classifier gave for <paramref name="error"/>.</summary>
    public static StickyScope Of(GrpcNotServedVerdict verdict, RpcException error)
    {
        if (verdict.Reason != FallbackReason.GrpcUnimplemented)
        {
            return StickyScope.Channel;
        }

        string detail = error.Status.Detail;
        bool fromGrpcServer = error.Status.DebugException is null && !detail.StartsWith(BadGrpcResponse, StringComparison.Ordinal);
        if (!fromGrpcServer
            || detail.Equals(GrpcDotnetUnknownService, StringComparison.Ordinal)
            || detail.StartsWith(GrpcGoUnknownService, StringComparison.Ordinal))
        {
            return StickyScope.Channel;
        }

        return StickyScope.Method;
    }
}
