using Grpc.Core;
using VaultGrpc.Internal.Telemetry;

namespace VaultGrpc.Internal.Delivery;

/// <summary>
/// The safety principle for methods that are not safe to repeat (DeleteOperation: a second delete of
/// a deleted record answers NOT_FOUND, hiding the first one's success). Such a call is retried, or
/// moved to the other transport, only when its failed attempt provably never reached a server; any
/// other failure that leaves its outcome open ends the call with <see cref="VaultOutcomeUnknownException"/>.
/// </summary>
internal static class OutcomeGuard
{
    /// <summary>Whether a second execution of <paramref name="method"/> changes nothing the caller sees.</summary>
    public static bool IsSafeToRepeat(RpcMethod method) => method != RpcMethod.Delete;

    /// <summary>
    /// Whether <paramref name="error"/> leaves open that the server executed the call: a status that
    /// is not a server's verdict on the request (UNAVAILABLE, INTERNAL, UNKNOWN, DEADLINE_EXCEEDED,
    /// CANCELLED, DATA_LOSS — a gateway sends these after forwarding, too) or any status the client
    /// made after a success answer, without proof that the request never left.
    /// </summary>
    public static bool LeavesOutcomeOpen(RpcException error) =>
        error is not VaultOutcomeUnknownException
        && (DeliveryEvidence.MarkedMayHaveActed(error)
            || error.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown
                or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.DataLoss)
        && !DeliveryEvidence.ProvesNotDelivered(error);

    /// <summary>The failure as the caller sees it when <paramref name="method"/>'s outcome is unknown.</summary>
    public static VaultOutcomeUnknownException Unknown(RpcMethod method, RpcException error) =>
        new(VaultTelemetry.MethodName(method), error);
}
