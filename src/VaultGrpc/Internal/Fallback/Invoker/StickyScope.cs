namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>How far a finding that gRPC does not serve reaches.</summary>
internal enum StickyScope
{
    /// <summary>The whole channel: no connection, not HTTP/2, a non-gRPC answer, the service unknown.</summary>
    Channel,

    /// <summary>One method: a gRPC server answered UNIMPLEMENTED for it (it may serve the service's other methods).</summary>
    Method,
}
