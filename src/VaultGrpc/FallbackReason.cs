namespace VaultGrpc;

/// <summary>Why a call in <see cref="TransportMode.Auto"/> was served over REST instead of gRPC.</summary>
public enum FallbackReason
{
    /// <summary>No fallback: the call went where the mode sent it first.</summary>
    None = 0,

    /// <summary>The gRPC side answered UNIMPLEMENTED (or HTTP 404 from a non-gRPC front).</summary>
    GrpcUnimplemented = 1,

    /// <summary>No gRPC connection could be made: refused, reset before a response, DNS or TLS failure.</summary>
    GrpcNoConnection = 2,

    /// <summary>Something answered, but not gRPC: HTTP/1.1 only, a gateway error page, the wrong content-type.</summary>
    GrpcNotServed = 3,

    /// <summary>
    /// gRPC was found not to serve on an earlier call, so this call went straight to REST
    /// without trying gRPC (the sticky window of <see cref="VaultOperationsClientOptions.StickyRestWindow"/>).
    /// </summary>
    StickyRest = 4,
}
