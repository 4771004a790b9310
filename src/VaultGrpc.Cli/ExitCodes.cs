namespace VaultGrpc.Cli;

/// <summary>The process exit codes of vault-ops.</summary>
internal static class ExitCodes
{
    /// <summary>Every call succeeded.</summary>
    public const int Success = 0;

    /// <summary>One or more calls failed (each reported; the others were still made), or the run was interrupted.</summary>
    public const int CallsFailed = 1;

    /// <summary>A usage error or an invalid operation name: nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>cancel --confirm: a cancel was accepted, but the operation was still running at the confirm timeout.</summary>
    public const int StillRunning = 3;

    /// <summary>cancel --confirm: an operation ended otherwise (completed before the cancel took effect, or failed with another error).</summary>
    public const int EndedOtherwise = 4;

    /// <summary>cancel --confirm: no such operation.</summary>
    public const int NotFound = 5;

    /// <summary>cancel --confirm: the server does not support cancel (UNIMPLEMENTED on every transport tried).</summary>
    public const int CancelNotSupported = 6;
}
