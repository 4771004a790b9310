namespace VaultGrpc.Internal.Calls;

/// <summary>How the last attempt of a call ended, failed or not: which transport answered and why (the waiter reads it).</summary>
internal sealed class CallTrace
{
    /// <summary>The transport of the last attempt's answer; null when none answered (or none was tried).</summary>
    public Transport? Transport { get; set; }

    /// <summary>Why that attempt went to REST, if it did.</summary>
    public FallbackReason Fallback { get; set; }

    /// <summary>The gRPC failure behind <see cref="Fallback"/>, token-free.</summary>
    public string? FallbackDetail { get; set; }
}
