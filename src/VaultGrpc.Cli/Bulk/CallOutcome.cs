using Grpc.Core;
using VaultGrpc.Cli.Output;

namespace VaultGrpc.Cli.Bulk;

/// <summary>The result of one call on one name: how it was served, or the error code and message.</summary>
/// <param name="Name">The operation name.</param>
/// <param name="Call">How the call was served; null when it failed.</param>
/// <param name="ErrorCode">The canonical status code name (such as <c>NOT_FOUND</c>); null when it succeeded.</param>
/// <param name="ErrorMessage">What the server or the client said; null when it succeeded.</param>
/// <param name="OutcomeUnknown">
/// The call failed after its request may have reached the server, and was not sent again: it may
/// have been executed (<see cref="VaultOutcomeUnknownException"/>).
/// </param>
/// <param name="Confirmed">With cancel --confirm, what became of the operation; null otherwise, or when a call failed.</param>
internal sealed record CallOutcome(string Name, VaultCallInfo? Call, string? ErrorCode, string? ErrorMessage, bool OutcomeUnknown = false, VaultCancelResult? Confirmed = null)
{
    /// <summary>Whether the call succeeded (with --confirm: the operation ended cancelled).</summary>
    public bool Ok => Confirmed is { } confirmed ? confirmed.IsCancelled : ErrorCode is null;

    /// <summary>A confirmed cancel: its outcome, and the status it kept (the operation's error, or the call's).</summary>
    public static CallOutcome Confirmation(VaultCancelResult result) => new(
        result.Name,
        result.Call,
        result.Status is { } status && !result.IsCancelled ? StatusCodeNames.Of((StatusCode)status.Code) : null,
        result.Status is { } kept && !result.IsCancelled ? kept.Message : null,
        Confirmed: result);

    /// <summary>A success.</summary>
    public static CallOutcome Success(string name, VaultCallInfo call) => new(name, call, null, null);

    /// <summary>A failure, classified from what the client threw.</summary>
    public static CallOutcome Failure(string name, Exception exception) => exception switch
    {
        VaultOutcomeUnknownException unknown => new(name, null, StatusCodeNames.Of(unknown.StatusCode), unknown.Status.Detail, OutcomeUnknown: true),
        RpcException rpc => new(name, null, StatusCodeNames.Of(rpc.StatusCode), rpc.Status.Detail),
        ArgumentException argument => new(name, null, StatusCodeNames.Of(StatusCode.InvalidArgument), argument.Message),
        OperationCanceledException => new(name, null, StatusCodeNames.Of(StatusCode.Cancelled), "The call was cancelled."),
        _ => new(name, null, StatusCodeNames.Of(StatusCode.Unknown), exception.Message),
    };
}
