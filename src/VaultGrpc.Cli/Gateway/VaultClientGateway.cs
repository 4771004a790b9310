using VaultGrpc.LongRunning;

namespace VaultGrpc.Cli.Gateway;

/// <summary>The real gateway: one <see cref="VaultOperationsClient"/> shared by every call of a run, so its sticky REST fallback applies to all of them.</summary>
internal sealed class VaultClientGateway(VaultOperationsClient client) : IOperationsGateway
{
    /// <summary>Creates the client from <paramref name="options"/>.</summary>
    public static IOperationsGateway Create(VaultOperationsClientOptions options) => new VaultClientGateway(VaultOperationsClient.Create(options));

    public Task<VaultCallInfo> CancelAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken) =>
        client.CancelAsync(name, timeout, cancellationToken);

    public Task<VaultCallInfo> DeleteAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken) =>
        client.DeleteAsync(name, timeout, cancellationToken);

    public Task<VaultResponse<Operation>> GetAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken) =>
        client.GetAsync(name, timeout, cancellationToken);

    public IAsyncEnumerable<Operation> ListAsync(string? filter, int pageSize, TimeSpan? timeout, CancellationToken cancellationToken) =>
        client.ListAsync(filter, pageSize, timeout, cancellationToken);

    public Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan? waitTimeout, CancellationToken cancellationToken) =>
        client.WaitAsync(name, waitTimeout, cancellationToken);

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
