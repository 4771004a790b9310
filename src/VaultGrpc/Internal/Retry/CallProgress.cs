namespace VaultGrpc.Internal.Retry;

/// <summary>
/// The mutable state of one facade call across its attempts: deadline, attempts made, next delay.
/// Not sealed: the facade's per-call object derives from it, so a call allocates one object, not two.
/// </summary>
internal class CallProgress(RpcMethod method, DateTime? deadline)
{
    public RpcMethod Method { get; } = method;

    /// <summary>UTC instant the whole call must end by; null for none.</summary>
    public DateTime? Deadline { get; } = deadline;

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; set; }

    /// <summary>The delay the retry predicate chose for the next attempt.</summary>
    public TimeSpan NextDelay { get; set; }
}
