using System.Diagnostics.Metrics;

namespace VaultGrpc.Internal.Telemetry;

/// <summary>
/// The library's instruments on one Meter named "VaultGrpc": the static one (no
/// <see cref="IMeterFactory"/>), or the meter a caller's factory makes — under DI the container's, so
/// that its listeners (and <c>MetricCollector</c> in tests) see this client's measurements alone.
/// </summary>
internal sealed class VaultInstruments
{
    // The boundaries OpenTelemetry advises for its duration histograms in seconds.
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private static readonly Meter StaticMeter = new(VaultTelemetry.Name, VaultTelemetry.Version);

    private VaultInstruments(Meter meter)
    {
        Calls = meter.CreateCounter<long>("vaultgrpc.client.calls", unit: "{call}", description: "Facade calls finished.");
        CallDuration = meter.CreateHistogram(
            "vaultgrpc.client.call.duration",
            unit: "s",
            description: "Duration of facade calls, retries included.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        RpcCallDuration = meter.CreateHistogram(
            SemanticConventions.RpcClientCallDuration,
            unit: "s",
            description: "Duration of outgoing RPCs that gRPC answered, retries included (as the call's span).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        Fallbacks = meter.CreateCounter<long>("vaultgrpc.client.fallbacks", unit: "{fallback}", description: "gRPC attempts that could not be served and went to REST.");
    }

    /// <summary>The instruments of the static Meter, shared by every client built without a factory.</summary>
    public static VaultInstruments Default { get; } = new(StaticMeter);

    /// <summary>Finished calls, tagged with method, transport, fallback reason and status.</summary>
    public Counter<long> Calls { get; }

    /// <summary>Duration of facade calls, all attempts included, tagged with method and transport.</summary>
    public Histogram<double> CallDuration { get; }

    /// <summary>The conventions' <c>rpc.client.call.duration</c>: facade calls whose answer came over gRPC.</summary>
    public Histogram<double> RpcCallDuration { get; }

    /// <summary>Times gRPC was found not to serve, tagged with the reason.</summary>
    public Counter<long> Fallbacks { get; }

    /// <summary>Instruments on <paramref name="factory"/>'s "VaultGrpc" meter, or <see cref="Default"/> without one.</summary>
    /// <remarks>The factory owns (and caches) its meters: one factory's clients share one meter, never disposed here.</remarks>
    public static VaultInstruments For(IMeterFactory? factory) =>
        factory is null ? Default : new(factory.Create(new MeterOptions(VaultTelemetry.Name) { Version = VaultTelemetry.Version }));
}
