namespace VaultGrpc.Cli.Output;

/// <summary>The names of fallback reasons and transports in vault-ops output.</summary>
internal static class FallbackNames
{
    /// <summary>The reason's name, or null for <see cref="FallbackReason.None"/>.</summary>
    public static string? Of(FallbackReason reason) => reason switch
    {
        FallbackReason.None => null,
        FallbackReason.GrpcUnimplemented => "grpc_unimplemented",
        FallbackReason.GrpcNoConnection => "grpc_no_connection",
        FallbackReason.GrpcNotServed => "grpc_not_served",
        FallbackReason.StickyRest => "sticky_rest",
        _ => reason.ToString().ToLowerInvariant(),
    };

    /// <summary>"grpc" or "rest".</summary>
    public static string Of(Transport transport) => transport == Transport.Grpc ? "grpc" : "rest";
}
