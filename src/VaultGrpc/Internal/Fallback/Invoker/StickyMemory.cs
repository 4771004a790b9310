namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>
/// One remembered finding that gRPC does not serve (for the channel, or for one method) and its
/// window; when the window runs out exactly one caller wins the probe, the others keep following
/// the finding until the probe reports. Lock-free: a call with nothing remembered costs one read.
/// </summary>
/// <remarks>
/// The probe is released only through a <see cref="GrpcProbeLease"/>, so no path can leave it taken.
/// </remarks>
internal sealed class StickyMemory(TimeSpan window, TimeProvider timeProvider)
{
    private const long NotSticky = long.MinValue;

    private long _untilTicks = NotSticky;
    private int _probeTaken;
    private StickyFinding? _finding;

    /// <summary>The last finding, or null if none was ever made.</summary>
    public StickyFinding? Finding => Volatile.Read(ref _finding);

    /// <summary>Whether a window is open (not yet closed by a probe), whether or not it has run out.</summary>
    public bool IsOpen => Volatile.Read(ref _untilTicks) != NotSticky;

    /// <summary>When the open window ends (it may have run out, waiting for a probe); null while none is open.</summary>
    public DateTimeOffset? OpenUntil => Volatile.Read(ref _untilTicks) is var until && until != NotSticky ? new DateTimeOffset(until, TimeSpan.Zero) : null;

    /// <summary>Where the next call goes; a <see cref="StickyCheck.Probe"/> must be handed to a lease.</summary>
    public StickyCheck Check()
    {
        long until = Volatile.Read(ref _untilTicks);
        if (until == NotSticky)
        {
            return StickyCheck.Clear;
        }

        if (timeProvider.GetUtcNow().UtcTicks < until)
        {
            return StickyCheck.Sticky;
        }

        if (Interlocked.CompareExchange(ref _probeTaken, 1, 0) != 0)
        {
            return StickyCheck.Sticky;
        }

        // Look again now that the probe is ours: a probe that reported in between may have closed
        // or renewed the window (reports write the window before they release the probe).
        until = Volatile.Read(ref _untilTicks);
        if (until == NotSticky || timeProvider.GetUtcNow().UtcTicks < until)
        {
            Volatile.Write(ref _probeTaken, 0);
            return until == NotSticky ? StickyCheck.Clear : StickyCheck.Sticky;
        }

        return StickyCheck.Probe;
    }

    /// <summary>Remembers <paramref name="finding"/> and opens (or renews) the window; a zero window remembers nothing.</summary>
    public void Open(StickyFinding finding)
    {
        if (window <= TimeSpan.Zero)
        {
            return;
        }

        Volatile.Write(ref _finding, finding);
        Volatile.Write(ref _untilTicks, WindowEndTicks());
    }

    /// <summary>gRPC served: calls go to gRPC again.</summary>
    public void Close() => Volatile.Write(ref _untilTicks, NotSticky);

    /// <summary>The probe ended without a verdict but not in gRPC's favour (it timed out): a new window.</summary>
    public void Renew()
    {
        if (IsOpen)
        {
            Volatile.Write(ref _untilTicks, WindowEndTicks());
        }
    }

    /// <summary>Lets the next caller after the window probe (only a lease calls this, once).</summary>
    public void ReleaseProbe() => Volatile.Write(ref _probeTaken, 0);

    // Now plus the window, saturating at the largest instant instead of overflowing.
    private long WindowEndTicks()
    {
        long now = timeProvider.GetUtcNow().UtcTicks;
        return window.Ticks >= DateTimeOffset.MaxValue.UtcTicks - now ? DateTimeOffset.MaxValue.UtcTicks : now + window.Ticks;
    }
}
