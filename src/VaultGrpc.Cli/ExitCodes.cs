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
}
