using Grpc.Core;

namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>What a sticky memory remembers: why gRPC did not serve, and whether REST did not either.</summary>
/// <param name="Reason">The classified reason gRPC did not serve.</param>
/// <param name="Detail">A short, token-free account of the gRPC failure.</param>
/// <param name="NotSupported">
/// The status to answer with when neither gRPC nor REST serves the method (REST answered
/// UNIMPLEMENTED too); null while REST serves it.
/// </param>
internal sealed record StickyFinding(FallbackReason Reason, string Detail, Status? NotSupported = null);
