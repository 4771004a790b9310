namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>Where <see cref="MethodStickyGate"/> sends one call.</summary>
internal enum RouteKind
{
    /// <summary>gRPC first (perhaps as a probe), REST if gRPC cannot serve.</summary>
    Grpc,

    /// <summary>Straight to REST: gRPC was found not to serve within the window.</summary>
    RestSticky,

    /// <summary>No round trip: neither gRPC nor REST served the method within the window.</summary>
    NotSupported,
}
