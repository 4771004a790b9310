using Grpc.Core;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Cli.Clients;

/// <summary>
/// The client vault-ops runs with: one real <see cref="VaultOperationsClient"/> shared by every call
/// of a run (so its sticky REST fallback applies to all of them), whose failures to connect are
/// reworded to name the endpoints tried and the cause (see <see cref="ConnectionFailureText"/>).
/// </summary>
internal sealed class ExplainedFailuresClient(VaultOperationsClient client, VaultOperationsClientOptions options) : VaultOperationsClient
{
    /// <summary>Creates the real client from <paramref name="options"/>.</summary>
    public static VaultOperationsClient ForOptions(VaultOperationsClientOptions options) => new ExplainedFailuresClient(VaultOperationsClient.Create(options), options);

    /// <summary>
    /// For many calls in a row (a bulk run): the client to call, and how to explain what its calls
    /// throw afterwards. For an explaining client that is the real client and this client's own
    /// explanation, so that a call that succeeds pays for no wrapper (a state machine and a task per
    /// call); any other client is returned as it is, its failures unchanged.
    /// </summary>
    public static (VaultOperationsClient Client, Func<Exception, Exception> Explain) Unwrapped(VaultOperationsClient client) =>
        client is ExplainedFailuresClient explained ? (explained.Inner, explained.Explain) : (client, static e => e);

    public override VaultTransportStatus TransportStatus => client.TransportStatus;

    public override TimeProvider TimeProvider => client.TimeProvider;

    public override Task<VaultCallInfo> CancelAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ExplainedAsync(client.CancelAsync(name, timeout, cancellationToken));

    public override Task<VaultCallInfo> DeleteAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ExplainedAsync(client.DeleteAsync(name, timeout, cancellationToken));

    public override Task<VaultResponse<Operation>> GetAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ExplainedAsync(client.GetAsync(name, timeout, cancellationToken));

    // ListAsync follows pages through this method, so the listing's failures are explained too.
    public override Task<VaultResponse<ListOperationsResponse>> ListPageAsync(
        string? filter = null, int pageSize = 0, string? pageToken = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ExplainedAsync(client.ListPageAsync(filter, pageSize, pageToken, timeout, cancellationToken));

    public override Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan? waitTimeout = null, CancellationToken cancellationToken = default) =>
        ExplainedAsync(client.WaitAsync(name, waitTimeout, cancellationToken));

    // The real client's own cancel-and-confirm: it knows which transport answered a failed cancel.
    public override Task<VaultCancelResult> CancelAndConfirmAsync(string name, TimeSpan? confirmTimeout = null, CancellationToken cancellationToken = default) =>
        ExplainedAsync(client.CancelAndConfirmAsync(name, confirmTimeout, cancellationToken));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            client.Dispose();
        }
    }

    private VaultOperationsClient Inner => client;

    /// <summary>The clearer failure for <paramref name="failure"/> when there is one (what the client's own methods throw); else the same.</summary>
    private Exception Explain(Exception failure) =>
        failure is RpcException e && ConnectionFailureText.Explain(e, options, client.TransportStatus) is { } clearer ? clearer : failure;

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
