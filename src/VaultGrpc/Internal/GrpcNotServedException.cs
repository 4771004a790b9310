using Grpc.Core;

namespace VaultGrpc.Internal;

/// <summary>
/// Thrown by the gRPC transport when gRPC could not serve the call at all (nothing from the
/// service itself answered), so that the fallback policy may try REST. Carries the original
/// <see cref="RpcException"/> for <see cref="TransportMode.GrpcOnly"/> callers.
/// </summary>
internal sealed class GrpcNotServedException(FallbackReason reason, RpcException rpcException, string detail, bool requestMayHaveActed = false, bool opensStickyWindow = true)
    : Exception(rpcException.Message, rpcException)
{
    /// <summary>Whether the next calls should go straight to REST for a window (see <see cref="GrpcCalls.GrpcNotServedVerdict.OpensStickyWindow"/>).</summary>
    public bool OpensStickyWindow { get; } = opensStickyWindow;

    /// <summary>
    /// Whether the request may have reached a server that acted on it (see
    /// <see cref="GrpcCalls.GrpcNotServedVerdict.RequestMayHaveActed"/>): then only a method that is
    /// safe to repeat may move to REST.
    /// </summary>
    public bool RequestMayHaveActed { get; } = requestMayHaveActed;

    /// <summary>A short, token-free, one-line description of the cause, for <see cref="VaultCallInfo.FallbackDetail"/>.</summary>
    public string Detail { get; } = detail;

    /// <summary>Why gRPC could not serve: never <see cref="FallbackReason.None"/> or <see cref="FallbackReason.StickyRest"/>.</summary>
    public FallbackReason Reason { get; } = reason;

    /// <summary>What Grpc.Net.Client reported.</summary>
    public RpcException RpcException { get; } = rpcException;
}
