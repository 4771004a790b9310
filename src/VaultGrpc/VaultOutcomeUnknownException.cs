using Grpc.Core;

namespace VaultGrpc;

/// <summary>
/// A call that is not safe to repeat (DeleteOperation) failed after its request may have reached a
/// server that acted on it: a reset or lost connection after the request went out, a gateway's 503,
/// an unreadable answer, a server's own UNAVAILABLE, or its deadline passing. The client then neither
/// retries nor falls back to the other transport, so the call is never executed twice; whether it
/// was executed once is unknown. <see cref="RpcException.Status"/> is the failure as it was seen.
/// </summary>
/// <remarks>
/// For a delete, a GetOperation tells: NOT_FOUND means the record is gone (this delete, or another,
/// removed it). Catch <see cref="RpcException"/> to treat this like any other failure.
/// </remarks>
public sealed class VaultOutcomeUnknownException : RpcException
{
    /// <summary>Creates the exception for <paramref name="method"/> from the failure that left its outcome unknown.</summary>
    /// <param name="method">The RPC's name, e.g. <c>DeleteOperation</c>.</param>
    /// <param name="failure">The failure as the transport reported it.</param>
    public VaultOutcomeUnknownException(string method, RpcException failure)
        : base(
            (failure ?? throw new ArgumentNullException(nameof(failure))).Status,
            failure.Trailers,
            $"{method} may or may not have been executed: it failed after its request may have reached the server, so it was not sent again. {failure.Status.StatusCode}: {failure.Status.Detail}")
    {
        Method = method;
    }

    /// <summary>The RPC whose outcome is unknown, e.g. <c>DeleteOperation</c>.</summary>
    public string Method { get; }
}
