using System.Diagnostics.Tracing;

namespace VaultGrpc.Benchmarks.Remote;

/// <summary>
/// Which types a case allocates, per call: <c>alloc-types Class Method [callers] [anyTypes]</c> (callers is
/// the raw-call classes' <c>Callers</c> or the bulk class's <c>Concurrency</c>) runs the case's setup, then its calls under the runtime's allocation sampling (an EventPipe
/// <c>GCAllocationTick</c> about every 100 KB, naming the type that crossed it), and prints the
/// estimated bytes per call by type. Statistical; compare two cases of the same run. Then runs the
/// calls again counting <c>ArrayPool.Shared</c>'s rents, new arrays and drops per call by size
/// (exact counts): arrays the pool could not supply are the <c>System.Byte[]</c> above.
/// </summary>
internal static class AllocationSampler
{
    public const string Verb = "alloc-types";

    // About 80,000 calls: at about 10 KB a call, some 8,000 ticks, so a type of 100 B/call is known to about ±10%.
    // VAULTGRPC_ALLOC_INVOCATIONS sets another count (e.g. a longer run to attach dotnet-trace to).
    private static readonly int? Invocations =
        int.TryParse(Environment.GetEnvironmentVariable("VAULTGRPC_ALLOC_INVOCATIONS"), out int invocations) && invocations > 0 ? invocations : null;

    public static async Task<int> RunAsync(string[] args)
    {
        Type type = ManualCase.FindClass(args[1]);
        ManualCase bench = await ManualCase.SetUpAsync(type, args[2], ManualCase.ConcurrencyArgument(args, 3), args.Length > 4 ? args[4] : null);
        int callsPerInvoke = bench.CallsPerInvoke;

        // About 80,000 calls whatever the class: 320 invocations of 256 calls, or 8 bulk runs of 10,000.
        int invocations = Invocations ?? Math.Max(1, 80_000 / callsPerInvoke);
        try
        {
            for (int i = 0; i < Math.Max(1, invocations / 8); i++)
            {
                await bench.RunAsync();
            }

            // Exceptions on a success path are control flow that costs; count them too.
            long exceptions = 0;
            EventHandler<System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs> count = (_, _) => Interlocked.Increment(ref exceptions);
            AppDomain.CurrentDomain.FirstChanceException += count;
            using var listener = new AllocationTickListener();
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < invocations; i++)
            {
                await bench.RunAsync();
            }

            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            listener.Dispose();
            AppDomain.CurrentDomain.FirstChanceException -= count;
            double calls = (double)invocations * callsPerInvoke;
            Console.WriteLine($"{args[1]}.{args[2]} {bench.ConcurrencyText}: {allocated / calls:F0} B/call allocated (exact, the sampler's own events included), about {listener.Total / calls:F0} B/call sampled, {exceptions / calls:F2} first-chance exceptions/call");
            foreach ((string name, long bytes) in listener.ByType.OrderByDescending(p => p.Value).Take(60))
            {
                Console.WriteLine($"{bytes / calls,8:F0} B/call  {Shorten(name)}");
            }

            // A second run, apart: the pool's events allocate, and would show among the types above.
            using var pool = new ArrayPoolListener();
            for (int i = 0; i < invocations; i++)
            {
                await bench.RunAsync();
            }

            pool.Dispose();

            // ArrayPool.Shared keeps a few arrays of each size per core; a call that holds one while
            // more are held than the pool keeps gets a new array (PoolExhausted) and drops it on return.
            Console.WriteLine("ArrayPool.Shared per call (size: rented, allocated by reason, dropped on return):");
            foreach ((int size, ArrayPoolListener.Counts counts) in pool.BySize.OrderByDescending(p => (long)p.Key * p.Value.Allocated))
            {
                Console.WriteLine($"{size,8} B: {counts.Rented / calls,6:F2} rented, {counts.Allocated / calls,6:F2} allocated ({string.Join(", ", counts.AllocatedBy.Select(r => $"{r.Key} {r.Value / calls:F2}"))}), {counts.Dropped / calls,6:F2} dropped; {(double)size * counts.Allocated / calls,7:F0} B/call new arrays");
            }
        }
        finally
        {
            bench.CleanUp();
        }

        return 0;
    }

    /// <summary>Drops generic arguments below the first level: async state machine boxes have names kilobytes long.</summary>
    private static string Shorten(string typeName)
    {
        var shortName = new System.Text.StringBuilder(typeName.Length);
        int depth = 0;
        foreach (char c in typeName)
        {
            if (c == ']')
            {
                depth--;
            }

            if (depth <= 1)
            {
                shortName.Append(c);
            }

            if (c == '[')
            {
                depth++;
            }
        }

        return shortName.ToString();
    }

    private sealed class AllocationTickListener : EventListener
    {
        private readonly object _gate = new();

        public Dictionary<string, long> ByType { get; } = [];

        public long Total { get; private set; }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null)
            {
                return;
            }

            int typeIndex = e.PayloadNames.IndexOf("TypeName");
            int amountIndex = e.PayloadNames.IndexOf("AllocationAmount64");
            string name = typeIndex >= 0 ? e.Payload![typeIndex] as string ?? "?" : "?";
            long amount = amountIndex >= 0 ? Convert.ToInt64(e.Payload![amountIndex], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
            lock (_gate)
            {
                ByType[name] = ByType.GetValueOrDefault(name) + amount;
                Total += amount;
            }
        }
    }

    /// <summary>Counts <c>System.Buffers.ArrayPoolEventSource</c>'s rents, allocations (with their reason) and drops by array size.</summary>
    private sealed class ArrayPoolListener : EventListener
    {
        private readonly object _gate = new();

        public Dictionary<int, Counts> BySize { get; } = [];

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "System.Buffers.ArrayPoolEventSource")
            {
                EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName is not ("BufferRented" or "BufferAllocated" or "BufferDropped") || e.PayloadNames is null)
            {
                return;
            }

            int size = Convert.ToInt32(e.Payload![e.PayloadNames.IndexOf("bufferSize")], System.Globalization.CultureInfo.InvariantCulture);
            int reasonIndex = e.PayloadNames.IndexOf("reason");
            string reason = reasonIndex >= 0 ? ReasonName(e.Payload[reasonIndex]) : "";
            lock (_gate)
            {
                if (!BySize.TryGetValue(size, out Counts? counts))
                {
                    BySize[size] = counts = new Counts();
                }

                switch (e.EventName)
                {
                    case "BufferRented":
                        counts.Rented++;
                        break;
                    case "BufferAllocated":
                        counts.Allocated++;
                        counts.AllocatedBy[reason] = counts.AllocatedBy.GetValueOrDefault(reason) + 1;
                        break;
                    default:
                        counts.Dropped++;
                        break;
                }
            }
        }

        // The event source's reasons: 0 Pooled (a first array for the pool), 1 OverMaximumSize, 2 PoolExhausted.
        private static string ReasonName(object? reason) => Convert.ToInt32(reason, System.Globalization.CultureInfo.InvariantCulture) switch
        {
            0 => "Pooled",
            1 => "OverMaximumSize",
            2 => "PoolExhausted",
            int other => other.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        public sealed class Counts
        {
            public long Rented { get; set; }

            public long Allocated { get; set; }

            public long Dropped { get; set; }

            public Dictionary<string, long> AllocatedBy { get; } = [];
        }
    }
}
