using System.Diagnostics;

namespace VaultGrpc.Cli.Bulk;

/// <summary>
/// Makes one call per name with at most N in flight. A failure is recorded and the run goes on;
/// stopping (Ctrl-C) ends the issuing of new calls, while calls already sent run to their end
/// (bounded by the per-call timeout) so that every reported result is a real one.
/// </summary>
/// <remarks>
/// N workers take names from one shared index, each awaiting its call directly: per name there is
/// no task, closure or state machine of the runner's own, and a success makes no outcome object.
/// </remarks>
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
        RunAsync(names, call, explainFailure: null, concurrency, new OutcomeAction(onOutcome), stopIssuing);

    /// <summary>Runs <paramref name="call"/> once for every name and reports each outcome to <paramref name="sink"/>.</summary>
    /// <param name="names">Distinct, validated names.</param>
    /// <param name="call">The call to make for one name.</param>
    /// <param name="explainFailure">Rewords what a failed call threw before it is classified; null to keep it.</param>
    /// <param name="concurrency">Most calls in flight at once, at least 1.</param>
    /// <param name="sink">Told of each finished name, from any thread, one at a time.</param>
    /// <param name="stopIssuing">When it fires, no new call starts.</param>
    public static Task<BulkSummary> RunAsync(
        IReadOnlyList<string> names,
        Func<string, Task<VaultCallInfo>> call,
        Func<Exception, Exception>? explainFailure,
        int concurrency,
        IBulkOutcomeSink sink,
        CancellationToken stopIssuing) =>
        RunWorkersAsync(names, call, ReportSuccess, explainFailure, concurrency, sink, stopIssuing);

    /// <summary>Runs <paramref name="call"/> once for every name, which says itself how it ended; a throw is a failure.</summary>
    /// <param name="names">Distinct, validated names.</param>
    /// <param name="call">The call to make for one name, and its outcome.</param>
    /// <param name="concurrency">Most calls in flight at once, at least 1.</param>
    /// <param name="onOutcome">Called once per finished name, from any thread, one call at a time.</param>
    /// <param name="stopIssuing">When it fires, no new call starts.</param>
    public static Task<BulkSummary> RunAsync(
        IReadOnlyList<string> names,
        Func<string, Task<CallOutcome>> call,
        int concurrency,
        Action<CallOutcome> onOutcome,
        CancellationToken stopIssuing) =>
        RunAsync(names, call, explainFailure: null, concurrency, new OutcomeAction(onOutcome), stopIssuing);

    /// <summary>Runs <paramref name="call"/> once for every name, which says itself how it ended; a throw is a failure.</summary>
    /// <param name="names">Distinct, validated names.</param>
    /// <param name="call">The call to make for one name, and its outcome.</param>
    /// <param name="explainFailure">Rewords what a failed call threw before it is classified; null to keep it.</param>
    /// <param name="concurrency">Most calls in flight at once, at least 1.</param>
    /// <param name="sink">Told of each finished name, from any thread, one at a time.</param>
    /// <param name="stopIssuing">When it fires, no new call starts.</param>
    public static Task<BulkSummary> RunAsync(
        IReadOnlyList<string> names,
        Func<string, Task<CallOutcome>> call,
        Func<Exception, Exception>? explainFailure,
        int concurrency,
        IBulkOutcomeSink sink,
        CancellationToken stopIssuing) =>
        RunWorkersAsync(names, call, ReportOutcome, explainFailure, concurrency, sink, stopIssuing);

    private static bool ReportSuccess(IBulkOutcomeSink sink, string name, VaultCallInfo call)
    {
        sink.Succeeded(name, call);
        return true;
    }

    private static bool ReportOutcome(IBulkOutcomeSink sink, string name, CallOutcome outcome)
    {
        sink.Finished(outcome);
        return outcome.Ok;
    }

    // report: tells the sink what a call returned, and says whether it counts as a success.
    private static async Task<BulkSummary> RunWorkersAsync<T>(
        IReadOnlyList<string> names,
        Func<string, Task<T>> call,
        Func<IBulkOutcomeSink, string, T, bool> report,
        Func<Exception, Exception>? explainFailure,
        int concurrency,
        IBulkOutcomeSink sink,
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
                T result;
                try
                {
                    result = await call(name);
                }
                catch (Exception e)
                {
                    CallOutcome failure = CallOutcome.Failure(name, explainFailure is null ? e : explainFailure(e));
                    lock (reportLock)
                    {
                        failed++;
                        sink.Finished(failure);
                    }

                    continue;
                }

                lock (reportLock)
                {
                    if (report(sink, name, result))
                    {
                        succeeded++;
                    }
                    else
                    {
                        failed++;
                    }
                }
            }
        }

        var workers = new Task[Math.Min(concurrency, names.Count)];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = WorkAsync();
        }

        await Task.WhenAll(workers);
        clock.Stop();
        int finished = succeeded + failed;
        return new BulkSummary(succeeded, failed, names.Count - finished, clock.Elapsed);
    }

    /// <summary>Every outcome as a <see cref="CallOutcome"/>, to one action.</summary>
    private sealed class OutcomeAction(Action<CallOutcome> onOutcome) : IBulkOutcomeSink
    {
        public void Succeeded(string name, VaultCallInfo call) => onOutcome(CallOutcome.Success(name, call));

        public void Finished(CallOutcome outcome) => onOutcome(outcome);
    }
}
