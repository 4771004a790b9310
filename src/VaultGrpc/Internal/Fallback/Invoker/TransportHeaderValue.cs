namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>The value of the <c>vaultgrpc-transport</c> response header entry: <c>grpc</c>, or <c>rest; fallback=&lt;reason&gt;</c>.</summary>
internal static class TransportHeaderValue
{
    public static string For(Transport transport, FallbackReason fallback) => transport switch
    {
        Transport.Grpc => "grpc",
        _ => fallback switch
        {
            FallbackReason.GrpcUnimplemented => "rest; fallback=grpc_unimplemented",
            FallbackReason.GrpcNoConnection => "rest; fallback=grpc_no_connection",
            FallbackReason.GrpcNotServed => "rest; fallback=grpc_not_served",
            FallbackReason.StickyRest => "rest; fallback=sticky_rest",
            _ => "rest",
        },
    };
}
