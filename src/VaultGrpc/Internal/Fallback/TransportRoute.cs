namespace VaultGrpc.Internal.Fallback;

/// <summary>Where <see cref="StickyRestGate"/> sends one attempt in <see cref="TransportMode.Auto"/>.</summary>
internal enum TransportRoute
{
    /// <summary>gRPC, as usual: nothing is known against it.</summary>
    Grpc,

    /// <summary>gRPC, as the single probe after the sticky window ran out; its outcome decides for everyone.</summary>
    GrpcProbe,

    /// <summary>Straight to REST: gRPC was found not to serve within the sticky window.</summary>
    RestSticky,
}
