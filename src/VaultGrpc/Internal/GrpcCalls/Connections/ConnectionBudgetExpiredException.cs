namespace VaultGrpc.Internal.GrpcCalls.Connections;

/// <summary>
/// The cause behind the UNAVAILABLE status of a gRPC call cut off by the connection budget: no
/// working HTTP/2 connection within the budget. Says whether the request had started to leave.
/// </summary>
internal sealed class ConnectionBudgetExpiredException(string message, bool requestStarted, bool fullBudget = true) : Exception(message)
{
    /// <summary>
    /// Whether the configured budget ran out; false when a short call timeout cut it (half the
    /// timeout), which is too little evidence to send every other call to REST for a window.
    /// </summary>
    public bool FullBudget { get; } = fullBudget;

    /// <summary>
    /// Whether the request message was handed to a connection (whose server had not acknowledged
    /// our SETTINGS, so had processed nothing yet — but might still, were it only slow).
    /// </summary>
    public bool RequestStarted { get; } = requestStarted;
}
