using VaultGrpc.LongRunning;

namespace VaultGrpc.Cli.Gateway;

/// <summary>
/// The calls vault-ops makes, as a seam: the real implementation is <see cref="VaultOperationsClient"/>,
/// tests use an in-memory one to exercise the bulk runner and the output without a server.
/// </summary>
internal interface IOperationsGateway : IAsyncDisposable
{
    /// <summary>Cancels one operation.</summary>
    Task<VaultCallInfo> CancelAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken);

    /// <summary>Deletes one operation's record.</summary>
    Task<VaultCallInfo> DeleteAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken);

    /// <summary>Gets one operation.</summary>
    Task<VaultResponse<Operation>> GetAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken);

    /// <summary>Lists every operation, following page tokens.</summary>
    IAsyncEnumerable<Operation> ListAsync(string? filter, int pageSize, TimeSpan? timeout, CancellationToken cancellationToken);

    /// <summary>Waits until the operation is done or the wait timeout passes.</summary>
    Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan? waitTimeout, CancellationToken cancellationToken);
}
