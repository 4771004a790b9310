using Grpc.Core;

namespace VaultGrpc.Invokers.Fallback;

/// <summary>How one unary call through a <see cref="FallbackCallInvoker"/> ended: which transport answered, and why.</summary>
public sealed class FallbackCallReport
{
    internal FallbackCallReport(string method, Transport? transport, FallbackReason fallback, string? fallbackDetail, StatusCode status)
    {
        Method = method;
        Transport = transport;
        Fallback = fallback;
        FallbackDetail = fallbackDetail;
        Status = status;
    }

    /// <summary>The full method name, e.g. <c>/google.longrunning.Operations/GetOperation</c>.</summary>
    public string Method { get; }

    /// <summary>
    /// The transport whose answer (response or failure) the caller got; null when the call was
    /// answered without a round trip because neither transport serves the method.
    /// </summary>
    public Transport? Transport { get; }

    /// <summary>
    /// Why REST was used: <see cref="FallbackReason.None"/> when gRPC answered, the classified
    /// reason when this call's gRPC attempt could not serve, <see cref="FallbackReason.StickyRest"/>
    /// when an earlier call's finding sent it straight to REST.
    /// </summary>
    public FallbackReason Fallback { get; }

    /// <summary>A short, token-free account of the gRPC failure behind <see cref="Fallback"/>; null for none.</summary>
    public string? FallbackDetail { get; }

    /// <summary>The call's final status code (<see cref="StatusCode.OK"/> when it was served).</summary>
    public StatusCode Status { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Method}: {Status} via {(Transport?.ToString() ?? "no transport")}" + (Fallback == FallbackReason.None ? string.Empty : $" ({Fallback}: {FallbackDetail})");
}
