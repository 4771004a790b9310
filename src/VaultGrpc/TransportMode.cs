namespace VaultGrpc;

/// <summary>Which transports a <see cref="VaultOperationsClient"/> may use.</summary>
public enum TransportMode
{
    /// <summary>
    /// gRPC first; REST when gRPC cannot serve (unimplemented, no connection, a non-gRPC answer),
    /// never when the service itself answered. The default.
    /// </summary>
    Auto = 0,

    /// <summary>gRPC only; a transport failure reaches the caller as the gRPC <c>RpcException</c>.</summary>
    GrpcOnly = 1,

    /// <summary>REST only; gRPC is never tried.</summary>
    RestOnly = 2,
}
