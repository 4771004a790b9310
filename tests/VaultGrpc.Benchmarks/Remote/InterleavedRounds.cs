using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace VaultGrpc.Benchmarks.Remote;

/// <summary>
/// Time ratios that a shared machine cannot blur as easily: <c>interleaved Class [callers] [anyTypes]</c>
/// (callers is the raw-call classes' <c>Callers</c> or the bulk class's <c>Concurrency</c>) sets up every
/// case of a class at once (each with its own fake process), then runs rounds
/// in which each case in turn makes calls for a fixed window, the order rotating every round. A load
/// that comes and goes hits every case of a round alike, so the per-round ratio to the baseline is
/// steadier than BenchmarkDotNet's, which runs the cases one after another. Prints each case's median
/// throughput, the median of its per-round ratios (time per call over the baseline's, as
/// BenchmarkDotNet's Ratio) with their quartiles, and bytes allocated per call (all threads).
/// </summary>
internal static class InterleavedRounds
{
    public const string Verb = "interleaved";

    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(
        int.TryParse(Environment.GetEnvironmentVariable("VAULTGRPC_ROUND_MS"), out int ms) && ms > 0 ? ms : 400);

    private static readonly int Rounds =
        int.TryParse(Environment.GetEnvironmentVariable("VAULTGRPC_ROUNDS"), out int rounds) && rounds > 0 ? rounds : 21;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: interleaved Class [callers] [anyTypes]");
            return 2;
        }

        Type type = ManualCase.FindClass(args[1]);
        int callers = ManualCase.ConcurrencyArgument(args, 2);
        var cases = new List<Case>();
        try
        {
            foreach (MethodInfo method in ManualCase.Benchmarks(type))
            {
                cases.Add(new Case(await ManualCase.SetUpAsync(type, method.Name, callers, args.Length > 3 ? args[3] : null)));
            }

            foreach (Case c in cases)
            {
                await c.MeasureAsync(Window * 2);
            }

            for (int round = 0; round < Rounds; round++)
            {
                for (int i = 0; i < cases.Count; i++)
                {
                    Case c = cases[(i + round) % cases.Count];
                    (double callsPerSecond, double bytesPerCall) = await c.MeasureAsync(Window);
                    c.Throughputs.Add(callsPerSecond);
                    c.Bytes.Add(bytesPerCall);
                }
            }

            Print(args.Length > 3 ? $"{args[1]} (AnyTypes={args[3]})" : args[1], callers, cases);
        }
        finally
        {
            foreach (Case c in cases)
            {
                c.CleanUp();
            }
        }

        return 0;
    }

    private static void Print(string className, int callers, List<Case> cases)
    {
        Case baseline = cases[0];
        Console.WriteLine($"{className}, callers={callers}: {Rounds} interleaved rounds of {Window.TotalMilliseconds:F0} ms per case");
        Console.WriteLine("| Method | calls/s (median) | Ratio (median of rounds) | Ratio p25-p75 | B/call (median) | Alloc Ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        double baselineBytes = Median(baseline.Bytes);
        foreach (Case c in cases)
        {
            // Time per call over the baseline's in the same round: baseline throughput over this case's.
            List<double> ratios = c.Throughputs.Select((t, round) => baseline.Throughputs[round] / t).ToList();
            double bytes = Median(c.Bytes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c.Name} | {Median(c.Throughputs):F0} | {Median(ratios):F3} | {Percentile(ratios, 0.25):F3}-{Percentile(ratios, 0.75):F3} | {bytes:F0} | {bytes / baselineBytes:F2} |"));
        }
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        double[] sorted = values.Order().ToArray();
        double position = p * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }

    private sealed class Case(ManualCase manual)
    {
        public string Name => manual.Name;

        public List<double> Throughputs { get; } = [];

        public List<double> Bytes { get; } = [];

        public void CleanUp() => manual.CleanUp();

        // Whole invocations until the window has passed.
        public async Task<(double CallsPerSecond, double BytesPerCall)> MeasureAsync(TimeSpan window)
        {
            long calls = 0;
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < window)
            {
                await manual.RunAsync();
                calls += manual.CallsPerInvoke;
            }

            clock.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
            return (calls / clock.Elapsed.TotalSeconds, (double)allocated / calls);
        }
    }
}
