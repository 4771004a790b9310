using VaultGrpc.Invokers.Fallback;

namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>
/// Where what one call's <see cref="FallbackCallReport"/> says goes besides the invoker's observer
/// (as fields: no report object is made for the facade alone): the facade
/// calls through a generated stub, which passes nothing of its own to the invoker, so the sink is
/// left on the calling thread just before the stub's synchronous call and taken by the invoker as
/// the call starts, on that same thread.
/// </summary>
internal sealed class CallReportSink
{
    [ThreadStatic]
    private static CallReportSink? t_pending;

    /// <summary>True once the call has ended and the fields below are set.</summary>
    public bool Reported { get; private set; }

    /// <summary>The transport whose attempt gave the final answer; null when none was tried.</summary>
    public Transport? Transport { get; private set; }

    /// <summary>Why the call went to REST, if it did.</summary>
    public FallbackReason Fallback { get; private set; }

    /// <summary>The gRPC failure behind <see cref="Fallback"/>, token-free.</summary>
    public string? FallbackDetail { get; private set; }

    /// <summary>Records how the call ended (the invoker, once).</summary>
    public void Record(Transport? transport, FallbackReason fallback, string? fallbackDetail)
    {
        Transport = transport;
        Fallback = fallback;
        FallbackDetail = fallbackDetail;
        Reported = true;
    }

    /// <summary>Leaves this sink for the next call started on this thread; dispose the result right after starting it.</summary>
    public PendingScope Offer()
    {
        t_pending = this;
        return default;
    }

    /// <summary>The sink left for this call, if any; it is taken, so no later call sees it.</summary>
    public static CallReportSink? TakePending()
    {
        CallReportSink? pending = t_pending;
        t_pending = null;
        return pending;
    }

    /// <summary>Clears a sink no call took (a stub that threw before calling the invoker).</summary>
    public readonly struct PendingScope : IDisposable
    {
        public void Dispose() => t_pending = null;
    }
}
