using VaultGrpc.LongRunning;

namespace VaultGrpc.Internal;

/// <summary>A transport that serves WaitOperation itself (gRPC only: Vault has no REST route for it).</summary>
internal interface IWaitOperationTransport
{
    /// <summary>Calls WaitOperation with <paramref name="waitTimeout"/> as the request's timeout.</summary>
    Task<Operation> WaitAsync(string name, TimeSpan waitTimeout, CallScope scope);
}
