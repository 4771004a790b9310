using System.Runtime.CompilerServices;
using VaultGrpc.Internal;
using VaultGrpc.Internal.Lifecycle;
using VaultGrpc.Internal.Listing;
using VaultGrpc.LongRunning;

namespace VaultGrpc;

/// <summary>
/// The client of <c>google.longrunning.Operations</c> as Google Vault serves it. Calls go over gRPC
/// and, in <see cref="TransportMode.Auto"/>, over the REST route transcoded from the same proto
/// when gRPC cannot serve them. Thread-safe; create one per endpoint and share it.
/// </summary>
/// <remarks>
/// Every failure reaches the caller as <see cref="Grpc.Core.RpcException"/> whichever transport
/// served, an invalid operation name as <see cref="ArgumentException"/> before any I/O, and the
/// caller's own cancellation as <see cref="OperationCanceledException"/>.
/// <para>
/// Abstract so that your own tests can stand in for it: derive and override the calls the code
/// under test makes (the others throw <see cref="NotImplementedException"/>). <see cref="ListAsync"/>
/// follows pages through <see cref="ListPageAsync"/>, so a stand-in overrides that one only.
/// </para>
/// </remarks>
public abstract class VaultOperationsClient : IAsyncDisposable, IDisposable
{
    /// <summary>For implementations and test stand-ins; use <see cref="Create()"/> for a real client.</summary>
    protected VaultOperationsClient()
    {
    }

    /// <summary>Creates a client with every default: production Vault, gRPC first, Application Default Credentials.</summary>
    public static VaultOperationsClient Create() => Create(new VaultOperationsClientOptions());

    /// <summary>Creates a client. The options are validated (all problems reported at once) and copied.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static VaultOperationsClient Create(VaultOperationsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        VaultOperationsClientOptions frozen = options.Clone();
        frozen.Validate();
        return new VaultOperationsClientImpl(frozen);
    }

    /// <summary>Creates a client from options set up by <paramref name="configure"/>.</summary>
    /// <param name="configure">Sets the options, starting from the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static VaultOperationsClient Create(Action<VaultOperationsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new VaultOperationsClientOptions();
        configure(options);
        return Create(options);
    }

    /// <summary>What the client currently knows of gRPC: whether calls go straight to REST, and until when.</summary>
    public virtual VaultTransportStatus TransportStatus => new(null, FallbackReason.None, null);

    /// <summary>
    /// The clock of the client's deadlines, backoff and polling (<see cref="VaultOperationsClientOptions.TimeProvider"/>);
    /// <see cref="TimeProvider.System"/> for a stand-in unless it says otherwise.
    /// </summary>
    public virtual TimeProvider TimeProvider => TimeProvider.System;

    /// <summary>
    /// Asks the service to cancel an operation. Safe to repeat: cancelling a finished operation
    /// succeeds and changes nothing.
    /// </summary>
    /// <param name="name">The operation's name, <c>operations/…</c>.</param>
    /// <param name="timeout">Overall time of the call, retries included; null for <see cref="VaultOperationsClientOptions.DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Which transport served the call.</returns>
    public virtual Task<VaultCallInfo> CancelAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotOverridden();

    /// <summary>Gets the latest state of an operation.</summary>
    /// <param name="name">The operation's name, <c>operations/…</c>.</param>
    /// <param name="timeout">Overall time of the call, retries included; null for <see cref="VaultOperationsClientOptions.DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The operation, and which transport served the call.</returns>
    public virtual Task<VaultResponse<Operation>> GetAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotOverridden();

    /// <summary>
    /// Deletes an operation's record; the operation itself is not cancelled. Repeating a delete
    /// that succeeded fails with NOT_FOUND, so a retried delete can report NOT_FOUND although the
    /// record is gone as asked: treat NOT_FOUND after a retry as success if that matters to you.
    /// </summary>
    /// <param name="name">The operation's name, <c>operations/…</c>.</param>
    /// <param name="timeout">Overall time of the call, retries included; null for <see cref="VaultOperationsClientOptions.DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Which transport served the call.</returns>
    public virtual Task<VaultCallInfo> DeleteAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotOverridden();

    /// <summary>Lists one page of operations.</summary>
    /// <param name="filter">A filter such as <c>done=true</c>; null or empty for all.</param>
    /// <param name="pageSize">The largest page wanted; 0 lets the server choose.</param>
    /// <param name="pageToken">The previous page's <c>NextPageToken</c>; null or empty for the first page.</param>
    /// <param name="timeout">Overall time of the call, retries included; null for <see cref="VaultOperationsClientOptions.DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, and which transport served the call.</returns>
    public virtual Task<VaultResponse<ListOperationsResponse>> ListPageAsync(
        string? filter = null, int pageSize = 0, string? pageToken = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        throw NotOverridden();

    /// <summary>Lists every operation, following page tokens; each page is one call with its own timeout and retries.</summary>
    /// <remarks>
    /// A server cannot make the listing endless or make it hold memory page after page: the listing
    /// stops with an <see cref="Grpc.Core.RpcException"/> (<see cref="Grpc.Core.StatusCode.Internal"/>,
    /// the message says which rule and after how many pages) when a next page token is longer than
    /// 8,192 characters, when a token comes back that the server gave before (the last 1,024 are
    /// remembered as hashes, longer cycles are found within about twice their length), or after 100
    /// pages in a row without an operation but with a next page token. The memory a listing holds is
    /// a few tens of kilobytes plus the current page, however many pages it follows.
    /// </remarks>
    /// <param name="filter">A filter such as <c>done=true</c>; null or empty for all.</param>
    /// <param name="pageSize">The largest page wanted; 0 lets the server choose.</param>
    /// <param name="timeout">Time of each page's call; null for <see cref="VaultOperationsClientOptions.DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public virtual IAsyncEnumerable<Operation> ListAsync(
        string? filter = null, int pageSize = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        // Bad arguments throw here, at the call, not at the first MoveNextAsync.
        ArgumentOutOfRangeException.ThrowIfNegative(pageSize);
        return ListAllPagesAsync(filter, pageSize, timeout, cancellationToken);
    }

    /// <summary>
    /// Waits until the operation is done or <paramref name="waitTimeout"/> passes, and returns its
    /// latest state (check <see cref="Operation.Done"/>). Uses WaitOperation over gRPC when it is
    /// served; otherwise polls GetOperation with backoff over whichever transport serves.
    /// </summary>
    /// <param name="name">The operation's name, <c>operations/…</c>.</param>
    /// <param name="waitTimeout">The longest wait; null for <see cref="VaultOperationsClientOptions.DefaultWaitTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>
    /// The operation as last seen, and which transport served the last call. The wait timeout holds
    /// whatever the server does: a call still unanswered half a second after it is abandoned, and the
    /// last state seen is returned (the name alone, not done, when no call answered at all).
    /// </returns>
    public virtual Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan? waitTimeout = null, CancellationToken cancellationToken = default) =>
        throw NotOverridden();

    /// <summary>
    /// Cancels an operation and confirms what became of it. Cancel is best effort (Vault's reference:
    /// success is not guaranteed, the operation may complete anyway, and a server that does not
    /// support cancel answers <c>UNIMPLEMENTED</c>), so after the cancel is accepted this watches the
    /// operation — WaitOperation over gRPC where it is served, else GetOperation polls with backoff,
    /// as <see cref="WaitAsync"/> does — until it is done or <paramref name="confirmTimeout"/> passes.
    /// </summary>
    /// <remarks>
    /// The outcome is one of <see cref="VaultCancelOutcome"/>: a NOT_FOUND or UNIMPLEMENTED answer
    /// to the cancel is an outcome, not an exception. Any other failure of the cancel or of the
    /// watch (a transport failure, PERMISSION_DENIED…) is thrown as <see cref="Grpc.Core.RpcException"/>:
    /// then what became of the operation is not known. Safe to repeat. This base implementation
    /// runs on <see cref="CancelAsync"/> and <see cref="WaitAsync"/>, so a stand-in that overrides
    /// those two gets it as well.
    /// </remarks>
    /// <param name="name">The operation's name, <c>operations/…</c>.</param>
    /// <param name="confirmTimeout">
    /// The longest watch after the cancel is accepted; null for 30 seconds,
    /// <see cref="Timeout.InfiniteTimeSpan"/> to watch until the operation is done.
    /// </param>
    /// <param name="cancellationToken">Cancels the cancel-and-confirm (the cancel request may already have been sent).</param>
    /// <returns>The outcome, the operation's latest state, and how the last call was served.</returns>
    public virtual Task<VaultCancelResult> CancelAndConfirmAsync(string name, TimeSpan? confirmTimeout = null, CancellationToken cancellationToken = default)
    {
        string validName = VaultOperationNames.Validate(name);
        TimeSpan watch = CancelConfirmation.Validate(confirmTimeout);
        return CancelConfirmation.RunAsync(
            validName,
            async () => await CancelAsync(validName, null, cancellationToken).ConfigureAwait(false),
            () => WaitAsync(validName, watch, cancellationToken),
            static () => null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Releases the client's connections; a stand-in has nothing to release.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    private async IAsyncEnumerable<Operation> ListAllPagesAsync(
        string? filter, int pageSize, TimeSpan? timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? pageToken = null;
        var guard = new PageTokenGuard();
        do
        {
            VaultResponse<ListOperationsResponse> page = await ListPageAsync(filter, pageSize, pageToken, timeout, cancellationToken).ConfigureAwait(false);
            foreach (Operation operation in page.Value.Operations)
            {
                yield return operation;
            }

            // The page's operations are the server's answer; only following its token is in doubt.
            guard.Accept(page.Value.Operations.Count, page.Value.NextPageToken, page.Call.Transport);
            pageToken = page.Value.NextPageToken;
        }
        while (pageToken.Length > 0);
    }

    private NotImplementedException NotOverridden([CallerMemberName] string member = "") =>
        new($"{GetType().Name} does not override {member}.");
}
