namespace VaultGrpc.Cli.Bulk;

/// <summary>What a bulk run did.</summary>
/// <param name="Succeeded">Calls that succeeded.</param>
/// <param name="Failed">Calls that failed.</param>
/// <param name="NotSent">Names never sent because the run was interrupted.</param>
/// <param name="Elapsed">Wall time of the run.</param>
internal sealed record BulkSummary(int Succeeded, int Failed, int NotSent, TimeSpan Elapsed)
{
    /// <summary>Calls that finished, successfully or not.</summary>
    public int Finished => Succeeded + Failed;

    /// <summary>Finished calls per second of wall time.</summary>
    public double CallsPerSecond => Elapsed > TimeSpan.Zero ? Finished / Elapsed.TotalSeconds : 0;

    /// <summary>The exit code of the run: success only when every name was sent and succeeded.</summary>
    public int ExitCode => Failed == 0 && NotSent == 0 ? ExitCodes.Success : ExitCodes.CallsFailed;
}
