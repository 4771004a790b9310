using System.Diagnostics;

namespace VaultGrpc.Cli.Bulk;

/// <summary>
/// Makes one call per name with at most N in flight. A failure is recorded and the run goes on;
/// stopping (Ctrl-C) ends the issuing of new calls, while calls already sent run to their end
/// (bounded by the per-call timeout) so that every reported result is a real one.
/// </summary>
internal static class BulkRunner
{
    /// <summary>Runs <paramref name="call"/> once for every name and reports each outcome as it finishes.</summary>
    /// <param name="names">Distinct, validated names.</param>
    /// <param name="call">The call to make for one name.</param>
    /// <param name="concurrency">Most calls in flight at once, at least 1.</param>
    /// <param name="onOutcome">Called once per finished name, from any thread, one call at a time.</param>
    /// <param name="stopIssuing">When it fires, no new call starts.</param>
    public static Task<BulkSummary> RunAsync(
        IReadOnlyList<string> names,
        Func<string, Task<VaultCallInfo>> call,
        int concurrency,
        Action<CallOutcome> onOutcome,
        CancellationToken stopIssuing) =>
        RunAsync(names, async name => CallOutcome.Success(name, await call(name)), concurrency, onOutcome, stopIssuing);

    /// <summary>Runs <paramref name="call"/> once for every name, which says itself how it ended; a throw is a failure.</summary>
    /// <param name="names">Distinct, validated names.</param>
    /// <param name="call">The call to make for one name, and its outcome.</param>
    /// <param name="concurrency">Most calls in flight at once, at least 1.</param>
    /// <param name="onOutcome">Called once per finished name, from any thread, one call at a time.</param>
    /// <param name="stopIssuing">When it fires, no new call starts.</param>
    public static async Task<BulkSummary> RunAsync(
        IReadOnlyList<string> names,
        Func<string, Task<CallOutcome>> call,
        int concurrency,
        Action<CallOutcome> onOutcome,
        CancellationToken stopIssuing)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var clock = Stopwatch.StartNew();
        int next = -1;
        int succeeded = 0;
        int failed = 0;
        var reportLock = new object();

        async Task WorkAsync()
        {
            // Leave the caller's thread at once so that workers start side by side.
            await Task.Yield();
            while (!stopIssuing.IsCancellationRequested)
            {
                int index = Interlocked.Increment(ref next);
                if (index >= names.Count)
                {
                    return;
                }

                string name = names[index];
                CallOutcome outcome;
                try
                {
                    outcome = await call(name);
                }
                catch (Exception e)
                {
                    outcome = CallOutcome.Failure(name, e);
                }

                lock (reportLock)
                {
                    if (outcome.Ok)
                    {
                        succeeded++;
                    }
                    else
                    {
                        failed++;
                    }

                    onOutcome(outcome);
                }
            }
        }

        int workers = Math.Min(concurrency, names.Count);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkAsync()));
        clock.Stop();
        int finished = succeeded + failed;
        return new BulkSummary(succeeded, failed, names.Count - finished, clock.Elapsed);
    }
}
