using Google.LongRunning;

namespace VaultGrpc.Internal.RestCalls;

// PLACEHOLDER until the REST transport lands: every member throws.
internal sealed class RestTransport : IOperationsTransport, IDisposable
{
    public Transport Kind => Transport.Rest;

    public static RestTransport Create(VaultOperationsClientOptions options, Auth.AccessTokenSource tokens, string apiClientHeader) => throw new NotImplementedException();

    public Task CancelAsync(string name, CallScope scope) => throw new NotImplementedException();

    public Task<Operation> GetAsync(string name, CallScope scope) => throw new NotImplementedException();

    public Task DeleteAsync(string name, CallScope scope) => throw new NotImplementedException();

    public Task<ListOperationsResponse> ListAsync(ListOperationsRequest request, CallScope scope) => throw new NotImplementedException();


    public void Dispose()
    {
    }
}
