namespace VaultGrpc.Internal.Calls;

/// <summary>
/// The <see cref="VaultCallInfo"/> of a call: an immutable record, so the two that nearly every call
/// ends with (served at the first attempt by gRPC, or by REST, with no fallback) are shared rather
/// than made per call.
/// </summary>
internal static class CallInfos
{
    private static readonly VaultCallInfo GrpcFirstAttempt = new(Transport.Grpc, FallbackReason.None, null, 1);
    private static readonly VaultCallInfo RestFirstAttempt = new(Transport.Rest, FallbackReason.None, null, 1);

    /// <summary>The record for these values; a shared one when they are the common ones.</summary>
    public static VaultCallInfo Of(Transport transport, FallbackReason fallback, string? fallbackDetail, int attempts) =>
        (transport, fallback, fallbackDetail, attempts) switch
        {
            (Transport.Grpc, FallbackReason.None, null, 1) => GrpcFirstAttempt,
            (Transport.Rest, FallbackReason.None, null, 1) => RestFirstAttempt,
            _ => new VaultCallInfo(transport, fallback, fallbackDetail, attempts),
        };
}
