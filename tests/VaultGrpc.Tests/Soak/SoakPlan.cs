using System.Globalization;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Soak;

/// <summary>What the soak does, from a seed: the calls, the fault mix, and when the gRPC side goes away and comes back.</summary>
internal static class SoakPlan
{
    /// <summary>The fake's seed for the faults, and the plan's for the calls.</summary>
    public const int Seed = 20261129;

    /// <summary>The round's calls: 40 % Delete, 30 % Cancel, 30 % Get; 3 % of the names do not exist.</summary>
    public static IReadOnlyList<SoakCall> Round(int round, int size, Random random)
    {
        var calls = new List<SoakCall>(size);
        for (int i = 0; i < size; i++)
        {
            int index = round * size + i;
            double pick = random.NextDouble();
            OperationsMethod method = pick < 0.4 ? OperationsMethod.Delete : pick < 0.7 ? OperationsMethod.Cancel : OperationsMethod.Get;
            calls.Add(new SoakCall(index, string.Create(CultureInfo.InvariantCulture, $"operations/soak-{index:D7}"), method, random.NextDouble() >= 0.03));
        }

        return calls;
    }

    /// <summary>
    /// About 5 % of requests, on either transport, meet a fault: the service answers UNAVAILABLE, the
    /// answer is started and the stream reset (INTERNAL_ERROR) or the connection aborted, or it comes late.
    /// </summary>
    public static IReadOnlyList<FaultRule> AddFaults(FaultScript faults) =>
    [
        faults.Add(Fault.Status(Grpc.Core.StatusCode.Unavailable, "The service is busy; try again."), probability: 0.02),
        faults.Add(Fault.ResetStream(), probability: 0.005),
        faults.Add(Fault.AbortConnection(), probability: 0.005),
        faults.Add(Fault.Latency(TimeSpan.FromMilliseconds(25)), probability: 0.02),
    ];

    /// <summary>
    /// Where, as a fraction of all calls, the gRPC side changes: switched off (UNIMPLEMENTED), back on,
    /// then an HTTP/2 gateway answering 503 in front of it, back on, then a proxy's HTML page, back on.
    /// </summary>
    public static IReadOnlyDictionary<int, GrpcServingMode> ModeSwitches(int calls) => new Dictionary<int, GrpcServingMode>
    {
        [calls * 20 / 100] = GrpcServingMode.Unimplemented,
        [calls * 30 / 100] = GrpcServingMode.Serve,
        [calls * 50 / 100] = GrpcServingMode.Gateway503,
        [calls * 55 / 100] = GrpcServingMode.Serve,
        [calls * 70 / 100] = GrpcServingMode.HtmlLoginPage,
        [calls * 75 / 100] = GrpcServingMode.Serve,
    };
}
