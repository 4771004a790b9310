using VaultGrpc.LongRunning;

namespace VaultGrpc;

/// <summary>The confirmed outcome of a cancel: what the operation did after the cancel was asked for.</summary>
/// <param name="Name">The operation's name.</param>
/// <param name="Outcome">What became of the operation.</param>
/// <param name="Operation">
/// The latest state seen: done for <see cref="VaultCancelOutcome.Cancelled"/>, <see cref="VaultCancelOutcome.CompletedAnyway"/>
/// and <see cref="VaultCancelOutcome.FailedOtherwise"/>, still running for <see cref="VaultCancelOutcome.StillRunning"/>;
/// null for <see cref="VaultCancelOutcome.NotFound"/> and <see cref="VaultCancelOutcome.CancelNotSupported"/>.
/// </param>
/// <param name="Status">
/// The operation's error for <see cref="VaultCancelOutcome.Cancelled"/> and <see cref="VaultCancelOutcome.FailedOtherwise"/>;
/// the call's status (code, message, details) for <see cref="VaultCancelOutcome.NotFound"/> and
/// <see cref="VaultCancelOutcome.CancelNotSupported"/>; null otherwise.
/// </param>
/// <param name="Call">How the last call (the cancel, a wait, or a poll) was served; null when a stand-in client could not say.</param>
public sealed record VaultCancelResult(string Name, VaultCancelOutcome Outcome, Operation? Operation, Google.Rpc.Status? Status, VaultCallInfo? Call)
{
    /// <summary>Whether the operation is known to have stopped because of the cancel.</summary>
    public bool IsCancelled => Outcome == VaultCancelOutcome.Cancelled;
}
