using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace VaultGrpc.Internal.Telemetry;

/// <summary>
/// The library's one ActivitySource and one Meter, both named after the assembly ("VaultGrpc").
/// Activities are created only when something listens; instruments cost a flag check otherwise.
/// </summary>
internal static class VaultTelemetry
{
    public const string Name = "VaultGrpc";

    public static readonly ActivitySource ActivitySource = new(Name, typeof(VaultTelemetry).Assembly.GetName().Version?.ToString(3));

    private static readonly Meter Meter = new(Name, typeof(VaultTelemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>Finished calls, tagged with method, transport, fallback reason and status code.</summary>
    public static readonly Counter<long> Calls = Meter.CreateCounter<long>("vaultgrpc.client.calls", unit: "{call}", description: "Facade calls finished.");

    /// <summary>Duration of facade calls, all attempts included.</summary>
    public static readonly Histogram<double> CallDuration = Meter.CreateHistogram<double>("vaultgrpc.client.call.duration", unit: "s", description: "Duration of facade calls, retries included.");

    /// <summary>Times gRPC was found not to serve, tagged with the reason.</summary>
    public static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("vaultgrpc.client.fallbacks", unit: "{fallback}", description: "gRPC attempts that could not be served and went to REST.");

    public static string MethodName(RpcMethod method) => method switch
    {
        RpcMethod.Cancel => "CancelOperation",
        RpcMethod.Get => "GetOperation",
        RpcMethod.Delete => "DeleteOperation",
        RpcMethod.List => "ListOperations",
        RpcMethod.Wait => "WaitOperation",
        _ => method.ToString(),
    };

    // Activity names, built once: no string is made per call when nobody listens.
    private static readonly string[] ActivityNames = Enum.GetValues<RpcMethod>().Select(m => "google.longrunning.Operations/" + MethodName(m)).ToArray();

    /// <summary>Whether anything listens to calls (the activity source or the call instruments); otherwise calls skip telemetry altogether.</summary>
    public static bool IsListening => ActivitySource.HasListeners() || Calls.Enabled || CallDuration.Enabled;

    /// <summary>Starts the activity of a facade call, or returns null when nobody listens.</summary>
    public static Activity? StartCall(RpcMethod method)
    {
        Activity? activity = ActivitySource.StartActivity(ActivityNames[(int)method], ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", "google.longrunning.Operations");
            activity.SetTag("rpc.method", MethodName(method));
        }

        return activity;
    }

    /// <summary>
    /// As the other overload, the duration measured from <paramref name="startedTimestamp"/> on
    /// <paramref name="clock"/>, and only when something listens: then a call costs a few flag checks.
    /// </summary>
    public static void EndCall(Activity? activity, RpcMethod method, VaultCallInfo? info, StatusCode status, TimeProvider clock, long startedTimestamp)
    {
        if (activity is not null || Calls.Enabled || CallDuration.Enabled)
        {
            EndCall(activity, method, info, status, clock.GetElapsedTime(startedTimestamp));
        }
    }

    /// <summary>Records the end of a facade call on the activity and the instruments.</summary>
    public static void EndCall(Activity? activity, RpcMethod method, VaultCallInfo? info, StatusCode status, TimeSpan elapsed)
    {
        if (activity is null && !Calls.Enabled && !CallDuration.Enabled)
        {
            return;
        }

        string transport = info is null ? "none" : info.Transport == Transport.Grpc ? "grpc" : "rest";
        string fallback = info?.Fallback.ToString() ?? "None";
        if (activity is not null)
        {
            activity.SetTag("vaultgrpc.transport", transport);
            activity.SetTag("vaultgrpc.fallback", fallback);
            activity.SetTag("vaultgrpc.attempts", info?.Attempts);
            activity.SetTag("rpc.grpc.status_code", (int)status);
            if (status != StatusCode.OK)
            {
                activity.SetStatus(ActivityStatusCode.Error, status.ToString());
            }

            activity.Dispose();
        }

        if (Calls.Enabled)
        {
            Calls.Add(
                1,
                new KeyValuePair<string, object?>("rpc.method", MethodName(method)),
                new KeyValuePair<string, object?>("vaultgrpc.transport", transport),
                new KeyValuePair<string, object?>("vaultgrpc.fallback", fallback),
                new KeyValuePair<string, object?>("rpc.grpc.status_code", (int)status));
        }

        if (CallDuration.Enabled)
        {
            CallDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("rpc.method", MethodName(method)), new KeyValuePair<string, object?>("vaultgrpc.transport", transport));
        }
    }
}
