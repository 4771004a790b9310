using System.Diagnostics;
using Grpc.Core;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Internal.Telemetry;

/// <summary>
/// The library's one ActivitySource and its Meter's name ("VaultGrpc"), and what a facade call
/// records. Activities are created only when something listens; instruments cost a flag check otherwise.
/// </summary>
/// <remarks>
/// <para>
/// One span per facade call (retries and the move to REST inside it), kind Client, named after the
/// method as <c>rpc.method</c> gives it (<c>google.longrunning.Operations/CancelOperation</c>) whichever
/// transport answered, so that one method's spans group together. Every span has <c>rpc.method</c>,
/// <c>rpc.response.status_code</c> (the gRPC status name the caller got — REST errors carry the same
/// names), <c>error.type</c> (that name) and status Error when it is not <c>OK</c>, and
/// <c>vaultgrpc.transport</c>/<c>vaultgrpc.fallback</c>/<c>vaultgrpc.attempts</c>. Then, by the
/// transport whose answer the caller got: gRPC — <c>rpc.system.name</c> <c>grpc</c> and the gRPC
/// endpoint's <c>server.address</c>/<c>server.port</c>; REST — an HTTP client call: no
/// <c>rpc.system.name</c>, <c>http.request.method</c> and <c>url.template</c> from the method's
/// <c>google.api.http</c> rule and the REST endpoint's <c>server.address</c>/<c>server.port</c>;
/// none (transport <c>none</c>: the deadline passed before an attempt, or the invoker answered from
/// memory) — neither. <c>rpc.system.name</c> is set when the call ends, as only then is the
/// transport known.
/// </para>
/// <para>
/// The conventions' <c>rpc.client.call.duration</c> records the calls gRPC answered, with their
/// span's duration and attributes (<c>rpc.system.name</c>, <c>rpc.method</c>,
/// <c>rpc.response.status_code</c>, <c>error.type</c>, <c>server.address</c>, <c>server.port</c>);
/// a REST request is measured by the HTTP stack's own <c>http.client.request.duration</c>, and every
/// call by <c>vaultgrpc.client.call.duration</c>.
/// </para>
/// </remarks>
internal static class VaultTelemetry
{
    public const string Name = "VaultGrpc";

    public static readonly string? Version = typeof(VaultTelemetry).Assembly.GetName().Version?.ToString(3);

    public static readonly ActivitySource ActivitySource = new(Name, Version);

    public static string MethodName(RpcMethod method) => method switch
    {
        RpcMethod.Cancel => "CancelOperation",
        RpcMethod.Get => "GetOperation",
        RpcMethod.Delete => "DeleteOperation",
        RpcMethod.List => "ListOperations",
        RpcMethod.Wait => "WaitOperation",
        _ => method.ToString(),
    };

    // rpc.method (and the span name) and each method's REST route, built once: no string is made per call.
    private static readonly string[] FullMethodNames = Enum.GetValues<RpcMethod>().Select(m => "google.longrunning.Operations/" + MethodName(m)).ToArray();
    private static readonly RestRoute?[] Routes = Enum.GetValues<RpcMethod>()
        .Select(m => RestRoute.For(OperationsReflection.Descriptor.Services[0].FindMethodByName(MethodName(m))))
        .ToArray();

    /// <summary>The method's <c>rpc.method</c>: <c>google.longrunning.Operations/CancelOperation</c>.</summary>
    public static string FullMethodName(RpcMethod method) => FullMethodNames[(int)method];

    /// <summary>Whether anything listens to a client's calls (the activity source or its call instruments); otherwise calls skip telemetry altogether.</summary>
    public static bool IsListening(ClientTelemetry telemetry) =>
        ActivitySource.HasListeners()
        || telemetry.Instruments.Calls.Enabled
        || telemetry.Instruments.CallDuration.Enabled
        || telemetry.Instruments.RpcCallDuration.Enabled;

    /// <summary>Starts the activity of a facade call, or returns null when nobody listens.</summary>
    public static Activity? StartCall(RpcMethod method)
    {
        Activity? activity = ActivitySource.StartActivity(FullMethodNames[(int)method], ActivityKind.Client);
        activity?.SetTag(SemanticConventions.RpcMethod, FullMethodNames[(int)method]);
        return activity;
    }

    /// <summary>
    /// Records the end of a facade call on the activity and the instruments: <paramref name="transport"/>
    /// gave the answer the caller got (null: none did), after <paramref name="attempts"/> attempts.
    /// </summary>
    public static void EndCall(
        ClientTelemetry telemetry, Activity? activity, RpcMethod method, Transport? transport, FallbackReason fallback, int attempts, StatusCode status, TimeSpan elapsed)
    {
        VaultInstruments instruments = telemetry.Instruments;
        string transportName = transport switch { Transport.Grpc => "grpc", Transport.Rest => "rest", _ => "none" };
        string fullName = FullMethodNames[(int)method];
        string statusName = SemanticConventions.StatusName(status);
        ServerEndpoint? endpoint = telemetry.EndpointOf(transport);
        if (activity is not null)
        {
            activity.SetTag("vaultgrpc.transport", transportName);
            activity.SetTag("vaultgrpc.fallback", fallback.ToString());
            activity.SetTag("vaultgrpc.attempts", attempts);
            activity.SetTag(SemanticConventions.RpcResponseStatusCode, statusName);
            if (transport == Transport.Grpc)
            {
                activity.SetTag(SemanticConventions.RpcSystemName, SemanticConventions.Grpc);
            }
            else if (transport == Transport.Rest && Routes[(int)method] is { } route)
            {
                activity.SetTag(SemanticConventions.HttpRequestMethod, route.HttpMethod.Method);
                activity.SetTag(SemanticConventions.UrlTemplate, route.Template);
            }

            if (endpoint is not null)
            {
                activity.SetTag(SemanticConventions.ServerAddress, endpoint.Address);
                activity.SetTag(SemanticConventions.ServerPort, endpoint.Port);
            }

            if (status != StatusCode.OK)
            {
                activity.SetTag(SemanticConventions.ErrorType, statusName);
                activity.SetStatus(ActivityStatusCode.Error);
            }

            activity.Dispose();
        }

        if (instruments.Calls.Enabled)
        {
            instruments.Calls.Add(
                1,
                new KeyValuePair<string, object?>(SemanticConventions.RpcMethod, fullName),
                new KeyValuePair<string, object?>("vaultgrpc.transport", transportName),
                new KeyValuePair<string, object?>("vaultgrpc.fallback", fallback.ToString()),
                new KeyValuePair<string, object?>(SemanticConventions.RpcResponseStatusCode, statusName));
        }

        if (instruments.CallDuration.Enabled)
        {
            instruments.CallDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(SemanticConventions.RpcMethod, fullName), new KeyValuePair<string, object?>("vaultgrpc.transport", transportName));
        }

        if (transport == Transport.Grpc && endpoint is not null && instruments.RpcCallDuration.Enabled)
        {
            var tags = new TagList
            {
                { SemanticConventions.RpcSystemName, SemanticConventions.Grpc },
                { SemanticConventions.RpcMethod, fullName },
                { SemanticConventions.RpcResponseStatusCode, statusName },
                { SemanticConventions.ServerAddress, endpoint.Address },
                { SemanticConventions.ServerPort, endpoint.Port },
            };
            if (status != StatusCode.OK)
            {
                tags.Add(SemanticConventions.ErrorType, statusName);
            }

            instruments.RpcCallDuration.Record(elapsed.TotalSeconds, tags);
        }
    }
}
