using Google.LongRunning;

namespace VaultGrpc.Internal;

// PLACEHOLDER until the fallback policy lands.
internal sealed class OperationsInvoker(VaultOperationsClientOptions options) : IDisposable
{
    public VaultTransportStatus TransportStatus => new(null, FallbackReason.None, null);

    public VaultOperationsClientOptions Options { get; } = options;

    public Task<VaultCallInfo> InvokeAsync(RpcMethod method, string name, Func<IOperationsTransport, string, CallScope, Task> call, TimeSpan? timeout, CancellationToken cancellationToken)
        => throw new NotImplementedException();

    public Task<VaultResponse<TResult>> InvokeAsync<TRequest, TResult>(RpcMethod method, TRequest request, Func<IOperationsTransport, TRequest, CallScope, Task<TResult>> call, TimeSpan? timeout, CancellationToken cancellationToken)
        => throw new NotImplementedException();

    public Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan? waitTimeout, CancellationToken cancellationToken)
        => throw new NotImplementedException();

    public void Dispose()
    {
    }
}
