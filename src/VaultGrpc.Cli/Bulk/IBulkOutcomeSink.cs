namespace VaultGrpc.Cli.Bulk;

/// <summary>
/// Where a bulk run reports each finished name, one call at a time. A plain call that succeeded
/// comes as its name and how it was served, without an outcome object: in a big run nearly every
/// name ends so, and the run should cost little beyond the calls themselves.
/// </summary>
internal interface IBulkOutcomeSink
{
    /// <summary>A plain call (cancel, delete) on <paramref name="name"/> succeeded.</summary>
    void Succeeded(string name, VaultCallInfo call);

    /// <summary>Any other outcome: a failed call, or a confirmed cancel however it ended.</summary>
    void Finished(CallOutcome outcome);
}
