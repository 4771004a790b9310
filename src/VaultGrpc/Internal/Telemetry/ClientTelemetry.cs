namespace VaultGrpc.Internal.Telemetry;

/// <summary>
/// What one client's telemetry needs beyond the static parts, built once with the client: its
/// instruments (on the caller's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>'s meter when
/// the options give one) and the endpoints each transport calls, for <c>server.address</c>/<c>server.port</c>.
/// </summary>
internal sealed class ClientTelemetry
{
    private readonly ServerEndpoint? _grpc;
    private readonly ServerEndpoint? _rest;

    public ClientTelemetry(VaultOperationsClientOptions options)
    {
        Instruments = VaultInstruments.For(options.MeterFactory);
        _grpc = options.TransportMode == TransportMode.RestOnly ? null : ServerEndpoint.Of(options.Endpoint);
        _rest = options.TransportMode == TransportMode.GrpcOnly ? null : ServerEndpoint.Of(options.RestEndpoint ?? options.Endpoint);
    }

    public VaultInstruments Instruments { get; }

    /// <summary>The endpoint of <paramref name="transport"/>; null when no transport answered.</summary>
    public ServerEndpoint? EndpointOf(Transport? transport) => transport switch
    {
        Transport.Grpc => _grpc,
        Transport.Rest => _rest,
        _ => null,
    };
}
