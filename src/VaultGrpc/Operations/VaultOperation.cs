using Google.Protobuf;
using Grpc.Core;
using VaultGrpc.Internal.Lifecycle;
using VaultGrpc.LongRunning;

namespace VaultGrpc;

/// <summary>
/// A long-running operation whose response and metadata have known types, as gax's
/// <c>Operation&lt;T,M&gt;</c> has it: poll it once or until it is done, read its progress, take its
/// result (or the typed failure), cancel it with confirmation, delete its record. Immutable: each
/// poll returns a new instance with the latest state. Resumable: keep <see cref="Name"/>, and
/// <see cref="FromName"/> picks the operation up again, in this process or another.
/// </summary>
/// <remarks>
/// Type URLs are matched on the full message name, whatever their host prefix. A REST answer of a
/// type the client was not told of (<see cref="VaultOperationsClientOptions.AnyTypes"/>) is read
/// from its JSON all the same.
/// </remarks>
/// <typeparam name="TResponse">The message the operation's <c>response</c> holds when it succeeds.</typeparam>
/// <typeparam name="TMetadata">The message its <c>metadata</c> holds (its progress).</typeparam>
public sealed class VaultOperation<TResponse, TMetadata>
    where TResponse : class, IMessage<TResponse>, new()
    where TMetadata : class, IMessage<TMetadata>, new()
{
    private readonly VaultOperationsClient _client;
    private readonly bool _stateKnown;

    /// <summary>An operation as a call returned it (the start of an operation, a Get, a List).</summary>
    /// <param name="client">The client its later calls go through.</param>
    /// <param name="operation">Its state; copied.</param>
    public VaultOperation(VaultOperationsClient client, Operation operation)
        : this(client, operation?.Clone()!, null, stateKnown: true)
    {
    }

    private VaultOperation(VaultOperationsClient client, Operation operation, VaultCallInfo? lastCall, bool stateKnown)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(operation);
        _client = client;
        Name = VaultOperationNames.Validate(operation.Name, nameof(operation));
        Latest = operation;
        LastCall = lastCall;
        _stateKnown = stateKnown;
    }

    /// <summary>The operation's name: all it takes to resume it.</summary>
    public string Name { get; }

    /// <summary>The latest state seen (the name alone, not done, for one made <see cref="FromName"/> and not yet polled). Do not change it.</summary>
    public Operation Latest { get; }

    /// <summary>How the call that brought <see cref="Latest"/> was served; null when no call has yet.</summary>
    public VaultCallInfo? LastCall { get; }

    /// <summary>Whether the operation is done, successfully or not.</summary>
    public bool IsDone => Latest.Done;

    /// <summary>Whether it is done with an error.</summary>
    public bool IsFaulted => Latest.Done && Latest.ResultCase == Operation.ResultOneofCase.Error;

    /// <summary>Whether it is done with <c>CANCELLED</c> (code 1).</summary>
    public bool IsCancelled => IsFaulted && Latest.Error.Code == (int)StatusCode.Cancelled;

    /// <summary>Its error when <see cref="IsFaulted"/>; otherwise null.</summary>
    public Google.Rpc.Status? Error => IsFaulted ? Latest.Error : null;

    /// <summary>Its progress as last seen; null when the operation carries no metadata.</summary>
    /// <exception cref="InvalidOperationException">The metadata is of another type.</exception>
    public TMetadata? Metadata => Latest.Metadata is { } any ? TypedAny.Unpack<TMetadata>(any, Name, "metadata") : null;

    /// <summary>The response of an operation that succeeded.</summary>
    /// <exception cref="VaultOperationFailedException">The operation ended with an error (its status and details inside).</exception>
    /// <exception cref="InvalidOperationException">It is not done yet, has no response, or the response is of another type.</exception>
    public TResponse Result
    {
        get
        {
            if (!Latest.Done)
            {
                throw new InvalidOperationException($"Operation {Name} is not done yet; poll it first.");
            }

            return Latest.ResultCase switch
            {
                Operation.ResultOneofCase.Error => throw new VaultOperationFailedException(Name, Latest.Error),
                Operation.ResultOneofCase.Response => TypedAny.Unpack<TResponse>(Latest.Response, Name, "response"),
                _ => throw new InvalidOperationException($"Operation {Name} is done but carries neither a response nor an error."),
            };
        }
    }

    /// <summary>Picks up an operation by name (saved earlier, perhaps by another process); nothing is known of its state until it is polled.</summary>
    /// <param name="client">The client its calls go through.</param>
    /// <param name="name">The operation's name, <c>operations/…</c>.</param>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    public static VaultOperation<TResponse, TMetadata> FromName(VaultOperationsClient client, string name) =>
        new(client, new Operation { Name = VaultOperationNames.Validate(name) }, null, stateKnown: false);

    /// <summary>Gets the operation's latest state once.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A new instance with that state.</returns>
    public async Task<VaultOperation<TResponse, TMetadata>> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        VaultResponse<Operation> response = await _client.GetAsync(Name, null, cancellationToken).ConfigureAwait(false);
        return new VaultOperation<TResponse, TMetadata>(_client, response.Value, response.Call, stateKnown: true);
    }

    /// <summary>
    /// Polls with GetOperation until the operation is done or the settings' expiration passes, and
    /// returns the latest state: check <see cref="IsDone"/>, then read <see cref="Result"/>. The first
    /// poll comes after <see cref="VaultPollSettings.InitialDelay"/>, at once for an operation made
    /// <see cref="FromName"/>; delays grow by the multiplier up to the cap, and the last poll is made
    /// at the expiration. Time is the client's <see cref="VaultOperationsClient.TimeProvider"/>.
    /// </summary>
    /// <param name="settings">The schedule; null for <see cref="VaultPollSettings.Default"/>.</param>
    /// <param name="metadataCallback">Called with the metadata after each poll that carries some (progress reports).</param>
    /// <param name="cancellationToken">Cancels the polling.</param>
    /// <returns>The operation as last seen.</returns>
    /// <exception cref="RpcException">A poll failed (after the client's own retries).</exception>
    public async Task<VaultOperation<TResponse, TMetadata>> PollUntilCompletedAsync(
        VaultPollSettings? settings = null, Action<TMetadata>? metadataCallback = null, CancellationToken cancellationToken = default)
    {
        settings ??= VaultPollSettings.Default;
        settings.Validate();
        TimeProvider time = _client.TimeProvider;
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset end = settings.Expiration == Timeout.InfiniteTimeSpan || settings.Expiration >= DateTimeOffset.MaxValue - now
            ? DateTimeOffset.MaxValue
            : now + settings.Expiration;
        VaultOperation<TResponse, TMetadata> latest = this;
        TimeSpan delay = settings.InitialDelay;
        bool pollNow = !_stateKnown;
        while (!latest.IsDone)
        {
            if (!pollNow)
            {
                TimeSpan remaining = end - time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    break;
                }

                await Task.Delay(delay < remaining ? delay : remaining, time, cancellationToken).ConfigureAwait(false);
                delay = settings.Next(delay);
            }

            pollNow = false;
            latest = await latest.PollOnceAsync(cancellationToken).ConfigureAwait(false);
            if (metadataCallback is not null && latest.Metadata is { } metadata)
            {
                metadataCallback(metadata);
            }
        }

        return latest;
    }

    /// <summary>Cancels the operation and confirms what became of it (see <see cref="VaultOperationsClient.CancelAndConfirmAsync"/>).</summary>
    /// <param name="confirmTimeout">The longest watch after the cancel is accepted; null for 30 seconds.</param>
    /// <param name="cancellationToken">Cancels the cancel-and-confirm.</param>
    public Task<VaultCancelResult> CancelAndConfirmAsync(TimeSpan? confirmTimeout = null, CancellationToken cancellationToken = default) =>
        _client.CancelAndConfirmAsync(Name, confirmTimeout, cancellationToken);

    /// <summary>Deletes the operation's record (not a cancel; see <see cref="VaultOperationsClient.DeleteAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<VaultCallInfo> DeleteAsync(CancellationToken cancellationToken = default) =>
        _client.DeleteAsync(Name, null, cancellationToken);
}
