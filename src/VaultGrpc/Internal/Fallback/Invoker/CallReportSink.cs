using VaultGrpc.Invokers.Fallback;

namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>
/// Where one call's <see cref="FallbackCallReport"/> goes besides the invoker's observer: the facade
/// calls through a generated stub, which passes nothing of its own to the invoker, so the sink is
/// left on the calling thread just before the stub's synchronous call and taken by the invoker as
/// the call starts, on that same thread.
/// </summary>
internal sealed class CallReportSink
{
    [ThreadStatic]
    private static CallReportSink? t_pending;

    /// <summary>The report of the call, once it has ended.</summary>
    public FallbackCallReport? Report { get; set; }

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
