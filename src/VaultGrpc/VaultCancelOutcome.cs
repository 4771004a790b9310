namespace VaultGrpc;

/// <summary>
/// What became of an operation after <see cref="VaultOperationsClient.CancelAndConfirmAsync"/> asked
/// to cancel it and watched it. Cancel is best effort: the service may finish the operation anyway,
/// or ignore the request; only watching the operation tells.
/// </summary>
public enum VaultCancelOutcome
{
    /// <summary>The operation is done with error code 1, <c>CANCELLED</c>: the cancel took effect.</summary>
    Cancelled,

    /// <summary>The operation is done with a response: it completed before the cancel could take effect.</summary>
    CompletedAnyway,

    /// <summary>The operation is done with another error than <c>CANCELLED</c> (kept in <see cref="VaultCancelResult.Status"/>).</summary>
    FailedOtherwise,

    /// <summary>The cancel was accepted, but the operation was still running when the confirm timeout ran out (its latest state kept).</summary>
    StillRunning,

    /// <summary>There is no such operation: the cancel, or a later look at it, answered <c>NOT_FOUND</c>.</summary>
    NotFound,

    /// <summary>The service does not support cancel: <c>UNIMPLEMENTED</c> on every transport tried.</summary>
    CancelNotSupported,
}
