using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Soak;

/// <summary>
/// One soak, run once for the tests that judge it: the client in Auto mode against the fake over real
/// sockets, about 5 % of requests faulted, the gRPC side switched off and on, calls in rounds whose
/// journal is audited and cleared as it goes. Only totals are kept, so its own memory stays flat.
/// </summary>
public sealed class SoakRun : IAsyncLifetime
{
    // A call that has not ended by then hangs: the client's own deadline is 10 s, retries included.
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(60);

    internal SoakSettings Settings { get; } = SoakSettings.FromEnvironment();

    internal SoakTally Tally { get; } = new();

    internal List<string> MissingOrDuplicated { get; } = new();

    internal List<DeleteBreach> DeleteBreaches { get; } = new();

    internal IReadOnlyList<FaultRule> FaultRules { get; private set; } = [];

    internal TimeSpan Duration { get; private set; }

    internal long MemoryAtStart { get; private set; }

    internal long MemoryAfterFirstRound { get; private set; }

    internal long MemoryAtEnd { get; private set; }

    public async Task InitializeAsync()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o =>
        {
            o.Hosting = FakeHosting.Sockets;
            o.RandomSeed = SoakPlan.Seed;
        });
        FaultRules = SoakPlan.AddFaults(fake.Faults);
        IReadOnlyDictionary<int, GrpcServingMode> switches = SoakPlan.ModeSwitches(Settings.Calls);
        VaultOperationsClientOptions options = fake.CreateClientOptions();
        options.Retry.InitialBackoff = TimeSpan.FromMilliseconds(2);
        options.Retry.MaxBackoff = TimeSpan.FromMilliseconds(20);
        options.StickyRestWindow = TimeSpan.FromMilliseconds(200);
        await using VaultOperationsClient client = VaultOperationsClient.Create(options);

        var plan = new Random(SoakPlan.Seed);
        MemoryAtStart = ManagedMemory();
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < Settings.Rounds; round++)
        {
            IReadOnlyList<SoakCall> calls = SoakPlan.Round(round, Math.Min(Settings.RoundSize, Settings.Calls - round * Settings.RoundSize), plan);
            foreach (SoakCall call in calls.Where(c => c.Exists))
            {
                fake.Store.AddRunning(call.Name);
            }

            var outcomes = new ConcurrentDictionary<string, SoakOutcome>(Settings.Concurrency, calls.Count);
            await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = Settings.Concurrency }, async (call, _) =>
            {
                if (switches.TryGetValue(call.Index, out GrpcServingMode mode))
                {
                    fake.GrpcMode = mode;
                }

                SoakOutcome outcome = await RunAsync(client, call);
                if (!outcomes.TryAdd(call.Name, outcome))
                {
                    lock (MissingOrDuplicated)
                    {
                        MissingOrDuplicated.Add($"{call.Name}: a second outcome");
                    }
                }

                Tally.Record(call.Method, outcome);
            });

            MissingOrDuplicated.AddRange(calls.Where(c => !outcomes.ContainsKey(c.Name)).Select(c => $"{c.Name}: no outcome"));
            IReadOnlyList<JournalEntry> journal = fake.Journal.Entries;
            DeleteBreaches.AddRange(DeleteAudit.Breaches(journal));
            Tally.RecordJournal(journal);
            fake.Journal.Clear();
            fake.Store.Clear();
            if (round == 0)
            {
                MemoryAfterFirstRound = ManagedMemory();
            }
        }

        Duration = clock.Elapsed;
        MemoryAtEnd = ManagedMemory();
    }

    /// <summary>The figures, for the test output (shown with <c>--logger "console;verbosity=detailed"</c>).</summary>
    internal IEnumerable<string> Report()
    {
        yield return $"soak: {Settings.Calls} calls, {Settings.Concurrency} in flight, {Duration.TotalSeconds:F1} s, {Settings.Calls / Duration.TotalSeconds:F0} calls/s";
        yield return $"managed memory: {Mb(MemoryAtStart)} at start, {Mb(MemoryAfterFirstRound)} after the first {Settings.RoundSize} calls, {Mb(MemoryAtEnd)} at the end";
        yield return "fault rules hit: " + string.Join(", ", FaultRules.Select(r => $"{r.Fault}={r.Hits}"));
        yield return Tally.Describe();
        yield return $"Delete breaches: {DeleteBreaches.Count}" + string.Concat(DeleteBreaches.GroupBy(b => b.Cause).Select(g => $"; {g.Key}: {g.Count()}"));
        foreach (DeleteBreach breach in DeleteBreaches.Take(20))
        {
            yield return "  " + breach;
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    internal static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):F1} MB";

    private static async Task<SoakOutcome> RunAsync(VaultOperationsClient client, SoakCall call)
    {
        try
        {
            VaultCallInfo served = call.Method switch
            {
                OperationsMethod.Delete => await client.DeleteAsync(call.Name).WaitAsync(HangBound),
                OperationsMethod.Cancel => await client.CancelAsync(call.Name).WaitAsync(HangBound),
                _ => (await client.GetAsync(call.Name).WaitAsync(HangBound)).Call,
            };
            return SoakOutcome.Served(served);
        }
        catch (RpcException error)
        {
            return SoakOutcome.Failed(error.StatusCode);
        }
        catch (TimeoutException)
        {
            return new SoakOutcome(SoakOutcome.Hang, null);
        }
        catch (Exception error)
        {
            return SoakOutcome.Unexpected(error);
        }
    }

    private static long ManagedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
