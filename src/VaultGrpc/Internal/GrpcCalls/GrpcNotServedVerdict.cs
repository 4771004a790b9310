namespace VaultGrpc.Internal.GrpcCalls;

/// <summary>The classifier's finding that gRPC could not serve a call.</summary>
/// <param name="Reason">Why: never <see cref="FallbackReason.None"/> or <see cref="FallbackReason.StickyRest"/>.</param>
/// <param name="RequestMayHaveActed">
/// False only with proof that the request never reached a server that could act on it (no
/// connection, refused before processing, an answer proving gRPC absent); then any method may move
/// to REST. True for ambiguous failures (a gateway's 503 or a reset after the request went out):
/// only methods safe to repeat may move.
/// </param>
internal readonly record struct GrpcNotServedVerdict(FallbackReason Reason, bool RequestMayHaveActed);
