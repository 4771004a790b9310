namespace VaultGrpc.Cli.Commands;

/// <summary>A call that vault-ops makes on many names at once.</summary>
/// <param name="CommandName">The command: "cancel".</param>
/// <param name="PastTense">What a result line says on success: "cancelled".</param>
/// <param name="Description">The command's help text.</param>
internal sealed record BulkVerb(string CommandName, string PastTense, string Description)
{
    /// <summary>CancelOperation on every name.</summary>
    public static BulkVerb Cancel { get; } = new(
        "cancel",
        "cancelled",
        "Cancel operations (safe to repeat: cancelling a finished operation changes nothing)");

    /// <summary>DeleteOperation on every name.</summary>
    public static BulkVerb Delete { get; } = new(
        "delete",
        "deleted",
        "Delete operation records (not a cancel; deleting again reports NOT_FOUND)");

    /// <summary>The call on one name.</summary>
    /// <remarks>
    /// A method rather than a delegate kept beside the words: the words are read on every start (the
    /// root's help lists them), and a delegate over the client's type would load the client library there.
    /// </remarks>
    public Task<VaultCallInfo> Call(VaultOperationsClient client, string name, CancellationToken cancellationToken) =>
        this == Delete
            ? client.DeleteAsync(name, null, cancellationToken)
            : client.CancelAsync(name, null, cancellationToken);
}
