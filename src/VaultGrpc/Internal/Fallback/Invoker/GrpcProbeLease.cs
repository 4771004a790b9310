namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>
/// The single gRPC probe of one or two sticky memories (the channel's, a method's), held by one
/// call. Reporting settles the memories and releases the probe; disposing without a report (the
/// caller cancelled, the failure said nothing of gRPC, or anything unforeseen) only releases it, so
/// the next call probes instead. Released by structure — a <c>using</c> — not by catch blocks.
/// </summary>
internal sealed class GrpcProbeLease : IDisposable
{
    private readonly StickyMemory? _channel;
    private readonly StickyMemory? _method;
    private int _settled;

    /// <summary>A lease on the probes won; at least one is not null.</summary>
    public GrpcProbeLease(StickyMemory? channel, StickyMemory? method)
    {
        _channel = channel;
        _method = method;
    }

    /// <summary>gRPC served the call (with success or the service's own answer): windows close.</summary>
    public void ReportServed()
    {
        if (TrySettle())
        {
            _channel?.Close();
            _method?.Close();
            Release();
        }
    }

    /// <summary>
    /// gRPC did not serve, with evidence of <paramref name="scope"/> (the caller has recorded it).
    /// Method-level evidence comes from a gRPC server, so it closes the channel's window.
    /// </summary>
    public void ReportNotServed(StickyScope scope)
    {
        if (TrySettle())
        {
            if (scope == StickyScope.Method)
            {
                _channel?.Close();
            }

            Release();
        }
    }

    /// <summary>The probe ran out of time: gRPC that hangs is no better than gRPC that refuses, windows renew.</summary>
    public void ReportTimedOut()
    {
        if (TrySettle())
        {
            _channel?.Renew();
            _method?.Renew();
            Release();
        }
    }

    /// <summary>Hands the probing on if nothing was reported.</summary>
    public void Dispose()
    {
        if (TrySettle())
        {
            Release();
        }
    }

    private bool TrySettle() => Interlocked.Exchange(ref _settled, 1) == 0;

    private void Release()
    {
        _channel?.ReleaseProbe();
        _method?.ReleaseProbe();
    }
}
