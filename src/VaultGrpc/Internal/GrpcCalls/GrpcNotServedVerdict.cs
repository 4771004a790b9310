namespace VaultGrpc.Internal.GrpcCalls;

/// <summary>The classifier's finding that gRPC could not serve a call.</summary>
/// <param name="Reason">Why: never <see cref="FallbackReason.None"/> or <see cref="FallbackReason.StickyRest"/>.</param>
/// <param name="RequestMayHaveActed">
/// False only with proof that the request never reached a server that could act on it (no
/// connection, refused before processing, an answer proving gRPC absent); then any method may move
/// to REST. True for ambiguous failures (a gateway's 503 or a reset after the request went out):
/// only methods safe to repeat may move.
/// </param>
/// <param name="OpensStickyWindow">
/// Whether the evidence is strong enough to send the next calls straight to REST (false when only
/// a short call timeout cut the connection budget: this call moves, the next ones try gRPC again).
/// </param>
internal readonly record struct GrpcNotServedVerdict(FallbackReason Reason, bool RequestMayHaveActed, bool OpensStickyWindow = true);
