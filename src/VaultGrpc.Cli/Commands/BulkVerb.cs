using VaultGrpc.Cli.Clients;

namespace VaultGrpc.Cli.Commands;

/// <summary>A call that vault-ops makes on many names at once.</summary>
/// <param name="CommandName">The command: "cancel".</param>
/// <param name="PastTense">What a result line says on success: "cancelled".</param>
/// <param name="Description">The command's help text.</param>
/// <param name="Call">The call on one name.</param>
internal sealed record BulkVerb(
    string CommandName,
    string PastTense,
    string Description,
    Func<VaultOperationsClient, string, CancellationToken, Task<VaultCallInfo>> Call)
{
    /// <summary>CancelOperation on every name.</summary>
    public static BulkVerb Cancel { get; } = new(
        "cancel",
        "cancelled",
        "Cancel operations (safe to repeat: cancelling a finished operation changes nothing)",
        (client, name, cancellationToken) => client.CancelAsync(name, null, cancellationToken));

    /// <summary>DeleteOperation on every name.</summary>
    public static BulkVerb Delete { get; } = new(
        "delete",
        "deleted",
        "Delete operation records (not a cancel; deleting again reports NOT_FOUND)",
        (client, name, cancellationToken) => client.DeleteAsync(name, null, cancellationToken));
}
