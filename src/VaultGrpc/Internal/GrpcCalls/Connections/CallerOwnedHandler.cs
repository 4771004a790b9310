namespace VaultGrpc.Internal.GrpcCalls.Connections;

/// <summary>
/// Passes requests to a handler the caller owns, and leaves it open when the channel is disposed
/// (a DelegatingHandler would dispose its inner handler with it).
/// </summary>
internal sealed class CallerOwnedHandler(HttpMessageHandler callers) : DelegatingHandler(callers)
{
    protected override void Dispose(bool disposing)
    {
        // The caller's handler stays the caller's.
    }
}
