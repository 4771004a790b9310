using Google.LongRunning;

namespace VaultGrpc.Internal.GrpcCalls;

// PLACEHOLDER until the gRPC transport lands: every member throws.
internal sealed class GrpcTransport : IOperationsTransport, IWaitOperationTransport, IDisposable
{
    public Transport Kind => Transport.Grpc;

    public static GrpcTransport Create(VaultOperationsClientOptions options, Auth.AccessTokenSource tokens, string apiClientHeader) => throw new NotImplementedException();

    public Task CancelAsync(string name, CallScope scope) => throw new NotImplementedException();

    public Task<Operation> GetAsync(string name, CallScope scope) => throw new NotImplementedException();

    public Task DeleteAsync(string name, CallScope scope) => throw new NotImplementedException();

    public Task<ListOperationsResponse> ListAsync(ListOperationsRequest request, CallScope scope) => throw new NotImplementedException();

    public Task<Operation> WaitAsync(string name, TimeSpan waitTimeout, CallScope scope) => throw new NotImplementedException();

    public void Dispose()
    {
    }
}
