using Grpc.Core;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Cli.Gateway;

/// <summary>
/// The real gateway: one <see cref="VaultOperationsClient"/> shared by every call of a run, so its
/// sticky REST fallback applies to all of them. A failure to connect is reworded to name the
/// endpoints tried and the cause (see <see cref="ConnectionFailureText"/>).
/// </summary>
internal sealed class VaultClientGateway(VaultOperationsClient client, VaultOperationsClientOptions options) : IOperationsGateway
{
    /// <summary>Creates the client from <paramref name="options"/>.</summary>
    public static IOperationsGateway Create(VaultOperationsClientOptions options) => new VaultClientGateway(VaultOperationsClient.Create(options), options);

    public Task<VaultCallInfo> CancelAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken) =>
        ExplainedAsync(client.CancelAsync(name, timeout, cancellationToken));

    public Task<VaultCallInfo> DeleteAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken) =>
        ExplainedAsync(client.DeleteAsync(name, timeout, cancellationToken));

    public Task<VaultResponse<Operation>> GetAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken) =>
        ExplainedAsync(client.GetAsync(name, timeout, cancellationToken));

    public async IAsyncEnumerable<Operation> ListAsync(string? filter, int pageSize, TimeSpan? timeout, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using IAsyncEnumerator<Operation> pages = client.ListAsync(filter, pageSize, timeout, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await pages.MoveNextAsync();
            }
            catch (RpcException e) when (ConnectionFailureText.Explain(e, options, client.TransportStatus) is { } clearer)
            {
                throw clearer;
            }

            if (!more)
            {
                yield break;
            }

            yield return pages.Current;
        }
    }

    public Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan? waitTimeout, CancellationToken cancellationToken) =>
        ExplainedAsync(client.WaitAsync(name, waitTimeout, cancellationToken));

    public ValueTask DisposeAsync() => client.DisposeAsync();

    private async Task<T> ExplainedAsync<T>(Task<T> call)
    {
        try
        {
            return await call;
        }
        catch (RpcException e) when (ConnectionFailureText.Explain(e, options, client.TransportStatus) is { } clearer)
        {
            throw clearer;
        }
    }
}
