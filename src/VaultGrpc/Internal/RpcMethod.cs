namespace VaultGrpc.Internal;

/// <summary>The Operations RPCs, for logs, metrics and fault decisions.</summary>
internal enum RpcMethod
{
    Cancel,
    Get,
    Delete,
    List,
    Wait,
}
