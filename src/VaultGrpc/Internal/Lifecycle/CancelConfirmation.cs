using Grpc.Core;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Internal.Lifecycle;

/// <summary>
/// Cancel-and-confirm as Vault's reference asks callers to do it: send the cancel (best effort),
/// then watch the operation until it is done or the confirm timeout passes, and name what happened.
/// The steps are given as calls so that the client's base (over its public virtuals) and the real
/// client (with its waiter and call traces) share one set of rules.
/// </summary>
internal static class CancelConfirmation
{
    /// <summary>How long a confirmation watches the operation when the caller gives no timeout.</summary>
    public static readonly TimeSpan DefaultConfirmTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Checks the caller's confirm timeout; null stands for <see cref="DefaultConfirmTimeout"/>.</summary>
    public static TimeSpan Validate(TimeSpan? confirmTimeout)
    {
        if (confirmTimeout is not { } given)
        {
            return DefaultConfirmTimeout;
        }

        if (given == Timeout.InfiniteTimeSpan)
        {
            return TimeSpan.MaxValue;
        }

        return given > TimeSpan.Zero
            ? given
            : throw new ArgumentOutOfRangeException(nameof(confirmTimeout), confirmTimeout, "The confirm timeout must be positive, or Timeout.InfiniteTimeSpan.");
    }

    /// <summary>
    /// Runs the cancel, then the wait. A cancel answered NOT_FOUND or UNIMPLEMENTED ends it there;
    /// any other failure of either call reaches the caller as it is (the outcome is not known).
    /// </summary>
    /// <param name="name">The valid operation name.</param>
    /// <param name="cancel">The cancel call; returns how it was served (null when unknown).</param>
    /// <param name="wait">The wait until done or the timeout; returns the latest state and how it was served.</param>
    /// <param name="failedCall">How a failed call was served, when the caller can tell; null otherwise.</param>
    public static async Task<VaultCancelResult> RunAsync(
        string name,
        Func<Task<VaultCallInfo?>> cancel,
        Func<Task<VaultResponse<Operation>>> wait,
        Func<VaultCallInfo?> failedCall)
    {
        VaultCallInfo? cancelled;
        try
        {
            cancelled = await cancel().ConfigureAwait(false);
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.NotFound or StatusCode.Unimplemented)
        {
            VaultCancelOutcome outcome = error.StatusCode == StatusCode.NotFound ? VaultCancelOutcome.NotFound : VaultCancelOutcome.CancelNotSupported;
            return new VaultCancelResult(name, outcome, null, StatusOf(error), failedCall());
        }

        VaultResponse<Operation> latest;
        try
        {
            latest = await wait().ConfigureAwait(false);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
            // Gone between the cancel and the look (deleted): nothing left to confirm.
            return new VaultCancelResult(name, VaultCancelOutcome.NotFound, null, StatusOf(error), failedCall() ?? cancelled);
        }

        return Classify(name, latest.Value, latest.Call);
    }

    /// <summary>The outcome that an operation's state shows.</summary>
    public static VaultCancelResult Classify(string name, Operation operation, VaultCallInfo? call)
    {
        if (!operation.Done)
        {
            return new VaultCancelResult(name, VaultCancelOutcome.StillRunning, operation, null, call);
        }

        return operation.ResultCase switch
        {
            Operation.ResultOneofCase.Error when operation.Error.Code == (int)StatusCode.Cancelled =>
                new VaultCancelResult(name, VaultCancelOutcome.Cancelled, operation, operation.Error, call),
            Operation.ResultOneofCase.Error =>
                new VaultCancelResult(name, VaultCancelOutcome.FailedOtherwise, operation, operation.Error, call),
            _ => new VaultCancelResult(name, VaultCancelOutcome.CompletedAnyway, operation, null, call),
        };
    }

    /// <summary>The call's status as <c>google.rpc.Status</c>: the server's own (with details) when it sent one.</summary>
    private static Google.Rpc.Status StatusOf(RpcException error) =>
        error.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)error.StatusCode, Message = error.Status.Detail };
}
