using System.Diagnostics.Metrics;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Logging;

namespace VaultGrpc.Invokers.Fallback;

/// <summary>
/// Settings of a <see cref="FallbackCallInvoker"/>. Mutable until the invoker is built: it validates
/// them once (all errors at once) and keeps a copy, so later changes do not affect it.
/// </summary>
public sealed class FallbackCallInvokerOptions
{
    /// <summary>
    /// How long calls go straight to REST once gRPC was found not to serve (for the channel, or for
    /// one method), and how long a method found served by neither transport is answered without a
    /// round trip. Then exactly one call probes gRPC. Default 5 minutes, as
    /// <c>VaultOperationsClientOptions.StickyRestWindow</c>; <see cref="TimeSpan.Zero"/> remembers
    /// nothing (every call tries gRPC first).
    /// </summary>
    public TimeSpan StickyRestWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The clock of the sticky windows and of the check whether a call's deadline passed before
    /// REST is tried. Default <see cref="TimeProvider.System"/> (the clock gRPC deadlines are on).
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Service descriptors whose methods say whether they are safe to repeat: a method with
    /// <c>idempotency_level</c> NO_SIDE_EFFECTS or IDEMPOTENT, or a <c>google.api.http</c> rule with
    /// <c>get</c>, is. Default empty (no method is known safe).
    /// </summary>
    public IList<ServiceDescriptor> Services { get; } = new List<ServiceDescriptor>();

    /// <summary>
    /// Full method names (<c>/package.Service/Method</c>, as <c>Method.FullName</c>) that are safe to
    /// repeat besides those <see cref="Services"/> mark, e.g.
    /// <c>/google.longrunning.Operations/CancelOperation</c> (a POST, yet cancelling twice is
    /// cancelling once). Default empty.
    /// </summary>
    /// <remarks>
    /// Only a method safe to repeat moves to REST after an ambiguous gRPC failure (a gateway's 503,
    /// a reset after the request went out); any other method then fails with
    /// <see cref="VaultOutcomeUnknownException"/> and is never sent again.
    /// </remarks>
    public ISet<string> SafeToRepeat { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Called once when each unary call ends (served or failed), with the transport that gave the
    /// final answer and why. Runs on the call's completion path, before the caller sees the result:
    /// keep it short and make it not throw (an exception it throws fails the call). Default none.
    /// </summary>
    public Action<FallbackCallReport>? CallObserver { get; set; }

    /// <summary>
    /// Where the invoker logs a call falling back to REST (Warning), a probe of gRPC (Debug) and gRPC
    /// serving again (Information), under the category <c>VaultGrpc.FallbackCallInvoker</c>. Texts
    /// are token-free. Default null: no logging.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Makes the "VaultGrpc" Meter of the invoker's <c>vaultgrpc.client.fallbacks</c> counter (a call
    /// gRPC could not serve that went to REST, tagged <c>vaultgrpc.fallback</c> with the reason).
    /// Default null: the library's static Meter of the same name.
    /// </summary>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>All problems of these options, empty when valid.</summary>
    internal IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (StickyRestWindow < TimeSpan.Zero)
        {
            problems.Add($"StickyRestWindow must not be negative (was {StickyRestWindow}).");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider must not be null.");
        }

        if (Services.Any(service => service is null))
        {
            problems.Add("Services must not contain null.");
        }

        foreach (string? name in SafeToRepeat)
        {
            if (name is null || name.Length < 4 || name[0] != '/' || name.Count(c => c == '/') != 2 || name.EndsWith('/') || name[1] == '/')
            {
                problems.Add($"SafeToRepeat entries must be full method names such as '/package.Service/Method' (was '{name}').");
            }
        }

        return problems;
    }
}
