namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>
/// Hands a sink to the invoker past the generated stub, which passes nothing of its own: the sink is
/// left on the calling thread just before the stub's synchronous call and taken by the invoker as
/// the call starts, on that same thread.
/// </summary>
internal static class CallReportHandoff
{
    [ThreadStatic]
    private static ICallReportSink? t_pending;

    /// <summary>Leaves <paramref name="sink"/> for the next call started on this thread; dispose the result right after starting it.</summary>
    public static PendingScope Offer(ICallReportSink sink)
    {
        t_pending = sink;
        return default;
    }

    /// <summary>The sink left for this call, if any; it is taken, so no later call sees it.</summary>
    public static ICallReportSink? TakePending()
    {
        ICallReportSink? pending = t_pending;
        t_pending = null;
        return pending;
    }

    /// <summary>Clears a sink no call took (a stub that threw before calling the invoker).</summary>
    public readonly struct PendingScope : IDisposable
    {
        public void Dispose() => t_pending = null;
    }
}
