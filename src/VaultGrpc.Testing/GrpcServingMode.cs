namespace VaultGrpc.Testing;

/// <summary>How the fake's gRPC side answers. REST is served in every mode.</summary>
public enum GrpcServingMode
{
    /// <summary>gRPC is served normally.</summary>
    Serve,

    /// <summary>Every gRPC call is answered <c>UNIMPLEMENTED</c>, as by a gRPC server without the service.</summary>
    Unimplemented,

    /// <summary>
    /// Nothing listens on the gRPC address: connections are refused. With sockets hosting this is a port
    /// reserved and closed again, so it can only be chosen at start; in memory it can be switched at run time.
    /// </summary>
    NotListening,

    /// <summary>
    /// The gRPC address speaks HTTP/1.1 only, so an h2c client fails at the protocol level. With sockets
    /// hosting it can only be chosen at start; in memory it can be switched at run time.
    /// </summary>
    Http1Only,

    /// <summary>An HTTP/2 gateway answers every gRPC call <c>503</c> with a <c>text/plain</c> body.</summary>
    Gateway503,

    /// <summary>An HTTP/2 front answers every gRPC call <c>200</c> with a <c>text/html</c> page, as a proxy's login page.</summary>
    HtmlLoginPage,
}
