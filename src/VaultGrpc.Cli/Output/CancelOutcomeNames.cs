namespace VaultGrpc.Cli.Output;

/// <summary>How cancel --confirm names each outcome: in JSON (<c>outcome</c>) and in its exit code.</summary>
internal static class CancelOutcomeNames
{
    /// <summary>The JSON value: <c>cancelled</c>, <c>completed_anyway</c>, <c>failed_otherwise</c>, <c>still_running</c>, <c>not_found</c>, <c>cancel_not_supported</c>.</summary>
    public static string Of(VaultCancelOutcome outcome) => outcome switch
    {
        VaultCancelOutcome.Cancelled => "cancelled",
        VaultCancelOutcome.CompletedAnyway => "completed_anyway",
        VaultCancelOutcome.FailedOtherwise => "failed_otherwise",
        VaultCancelOutcome.StillRunning => "still_running",
        VaultCancelOutcome.NotFound => "not_found",
        VaultCancelOutcome.CancelNotSupported => "cancel_not_supported",
        _ => "unknown",
    };

    /// <summary>The exit code an outcome calls for on its own.</summary>
    public static int ExitCode(VaultCancelOutcome outcome) => outcome switch
    {
        VaultCancelOutcome.Cancelled => ExitCodes.Success,
        VaultCancelOutcome.StillRunning => ExitCodes.StillRunning,
        VaultCancelOutcome.CompletedAnyway or VaultCancelOutcome.FailedOtherwise => ExitCodes.EndedOtherwise,
        VaultCancelOutcome.NotFound => ExitCodes.NotFound,
        _ => ExitCodes.CancelNotSupported,
    };
}
