namespace VaultGrpc;

/// <summary>A snapshot of what a client knows of gRPC in <see cref="TransportMode.Auto"/>.</summary>
/// <param name="RestStickyUntil">Until when calls go straight to REST; null while gRPC is tried first.</param>
/// <param name="LastFallback">Why gRPC last could not serve; <see cref="FallbackReason.None"/> if it never failed so.</param>
/// <param name="LastFallbackDetail">What the gRPC side said then, token-free; null if nothing.</param>
public sealed record VaultTransportStatus(DateTimeOffset? RestStickyUntil, FallbackReason LastFallback, string? LastFallbackDetail);
