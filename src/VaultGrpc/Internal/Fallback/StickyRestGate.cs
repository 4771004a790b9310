namespace VaultGrpc.Internal.Fallback;

/// <summary>
/// Remembers that gRPC could not serve, so that calls go straight to REST for a window instead of
/// paying a failed gRPC round trip each; when the window runs out, exactly one call probes gRPC
/// while the others keep going to REST. Lock-free: the common path (gRPC serving) is one read.
/// </summary>
internal sealed class StickyRestGate(TimeSpan window, TimeProvider timeProvider)
{
    private const long NotSticky = long.MinValue;

    private long _restUntilTicks = NotSticky;
    private int _probeInFlight;
    private GrpcNotServedRecord? _last;

    /// <summary>Why gRPC last could not serve, or null if it never failed so.</summary>
    public GrpcNotServedRecord? Last => Volatile.Read(ref _last);

    /// <summary>A snapshot for <see cref="VaultOperationsClient.TransportStatus"/>.</summary>
    public VaultTransportStatus Status
    {
        get
        {
            long until = Volatile.Read(ref _restUntilTicks);
            GrpcNotServedRecord? last = Last;
            return new VaultTransportStatus(
                until == NotSticky ? null : new DateTimeOffset(until, TimeSpan.Zero),
                last?.Reason ?? FallbackReason.None,
                last?.Detail);
        }
    }

    /// <summary>Where the next attempt goes. A <see cref="TransportRoute.GrpcProbe"/> must be reported back.</summary>
    public TransportRoute Choose()
    {
        long until = Volatile.Read(ref _restUntilTicks);
        if (until == NotSticky)
        {
            return TransportRoute.Grpc;
        }

        if (timeProvider.GetUtcNow().UtcTicks < until)
        {
            return TransportRoute.RestSticky;
        }

        // The window ran out: one caller wins the probe, the rest stay on REST until it reports.
        if (Interlocked.CompareExchange(ref _probeInFlight, 1, 0) != 0)
        {
            return TransportRoute.RestSticky;
        }

        // Look again now that the probe is ours: the window this caller read may be stale, renewed
        // or closed by a probe that reported in between (reports write the window before they
        // release the probe, and the exchange above is a full fence).
        until = Volatile.Read(ref _restUntilTicks);
        if (until == NotSticky || timeProvider.GetUtcNow().UtcTicks < until)
        {
            Volatile.Write(ref _probeInFlight, 0);
            return until == NotSticky ? TransportRoute.Grpc : TransportRoute.RestSticky;
        }

        return TransportRoute.GrpcProbe;
    }

    /// <summary>
    /// Where a long-poll goes: gRPC unless a window was opened, never a probe — a WaitOperation
    /// may hold its call for many minutes, and a probe must report back promptly.
    /// </summary>
    public TransportRoute ChooseWithoutProbing() =>
        Volatile.Read(ref _restUntilTicks) == NotSticky ? TransportRoute.Grpc : TransportRoute.RestSticky;

    /// <summary>gRPC could not serve: open (or renew) the window.</summary>
    public void ReportNotServed(TransportRoute route, FallbackReason reason, string detail)
    {
        Volatile.Write(ref _last, new GrpcNotServedRecord(reason, detail));
        Volatile.Write(ref _restUntilTicks, WindowEndTicks());
        ReleaseProbe(route);
    }

    /// <summary>gRPC answered (with success or an error from the service): a probe closes the window.</summary>
    public void ReportServed(TransportRoute route)
    {
        if (route == TransportRoute.GrpcProbe)
        {
            Volatile.Write(ref _restUntilTicks, NotSticky);
            ReleaseProbe(route);
        }
    }

    /// <summary>
    /// The attempt ran out of time without a verdict. A probe that ends so renews the window: gRPC
    /// that hangs is no better than gRPC that refuses.
    /// </summary>
    public void ReportTimedOut(TransportRoute route)
    {
        if (route == TransportRoute.GrpcProbe)
        {
            Volatile.Write(ref _restUntilTicks, WindowEndTicks());
            ReleaseProbe(route);
        }
    }

    /// <summary>
    /// The attempt says nothing about gRPC as a whole (its caller cancelled it, or only
    /// WaitOperation is missing): a probe hands the probing over to the next call, window unchanged.
    /// </summary>
    public void ReleaseProbe(TransportRoute route)
    {
        if (route == TransportRoute.GrpcProbe)
        {
            Volatile.Write(ref _probeInFlight, 0);
        }
    }

    // Now plus the window, saturating at the largest instant instead of overflowing.
    private long WindowEndTicks()
    {
        long now = timeProvider.GetUtcNow().UtcTicks;
        return window.Ticks >= DateTimeOffset.MaxValue.UtcTicks - now ? DateTimeOffset.MaxValue.UtcTicks : now + window.Ticks;
    }
}
