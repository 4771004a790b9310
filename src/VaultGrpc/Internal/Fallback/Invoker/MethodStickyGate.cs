using System.Collections.Concurrent;

namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>
/// The sticky memory of a <see cref="VaultGrpc.Invokers.Fallback.FallbackCallInvoker"/>: one for the
/// channel (transport-level evidence), one per method (a gRPC server's UNIMPLEMENTED for that
/// method, and "not supported" when REST answered UNIMPLEMENTED too). A method-level finding never
/// moves another method.
/// </summary>
internal sealed class MethodStickyGate(TimeSpan window, TimeProvider timeProvider)
{
    private readonly StickyMemory _channel = new(window, timeProvider);
    private readonly ConcurrentDictionary<string, StickyMemory> _methods = new(StringComparer.Ordinal);

    /// <summary>The channel's memory (for tests and status).</summary>
    public StickyMemory Channel => _channel;

    /// <summary>The memory of <paramref name="method"/> (a full name), or null when nothing was found against it.</summary>
    public StickyMemory? MethodMemory(string method) => _methods.TryGetValue(method, out StickyMemory? memory) ? memory : null;

    /// <summary>The route of a call of <paramref name="method"/>; a returned lease must be disposed.</summary>
    public Route Choose(string method)
    {
        StickyMemory? methodMemory = MethodMemory(method);
        StickyMemory? methodProbe = null;
        bool methodChecked = false;

        // "Not supported" first: no transport serves it, so not even a sticky REST call is worth paying.
        if (methodMemory?.Finding?.NotSupported is not null)
        {
            methodChecked = true;
            switch (methodMemory.Check())
            {
                case StickyCheck.Sticky when methodMemory.Finding?.NotSupported is not null:
                    return new Route(RouteKind.NotSupported, methodMemory.Finding, null);
                case StickyCheck.Probe:
                    methodProbe = methodMemory;
                    break;
                case StickyCheck.Sticky:
                    // Raced with a report that turned it into a plain REST finding.
                    return new Route(RouteKind.RestSticky, methodMemory.Finding, null);
            }
        }

        StickyMemory? channelProbe = null;
        switch (_channel.Check())
        {
            case StickyCheck.Sticky:
                methodProbe?.ReleaseProbe();
                return new Route(RouteKind.RestSticky, _channel.Finding, null);
            case StickyCheck.Probe:
                channelProbe = _channel;
                break;
        }

        if (methodMemory is not null && !methodChecked)
        {
            switch (methodMemory.Check())
            {
                case StickyCheck.Sticky:
                    // This method would fail on gRPC anyway, so it is no probe of the channel: hand that on.
                    channelProbe?.ReleaseProbe();
                    return new Route(RouteKind.RestSticky, methodMemory.Finding, null);
                case StickyCheck.Probe:
                    methodProbe = methodMemory;
                    break;
            }
        }

        GrpcProbeLease? lease = channelProbe is null && methodProbe is null ? null : new GrpcProbeLease(channelProbe, methodProbe);
        return new Route(RouteKind.Grpc, null, lease);
    }

    /// <summary>Remembers that gRPC does not serve, for the channel or for <paramref name="method"/>.</summary>
    public void Open(StickyScope scope, string method, StickyFinding finding)
    {
        StickyMemory memory = scope == StickyScope.Channel ? _channel : _methods.GetOrAdd(method, _ => new StickyMemory(window, timeProvider));
        memory.Open(finding);
    }
}
