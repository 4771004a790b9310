using VaultGrpc.Cli.Commands;
using VaultGrpc.Cli.Output;

namespace VaultGrpc.Cli.Bulk;

/// <summary>
/// A bulk run as the terminal sees it, shared by <c>cancel</c>/<c>delete</c> and <c>cancel --confirm</c>:
/// one result line per name (beside a progress bar on a terminal), a notice on standard error when
/// Ctrl-C stops new calls, and every line flushed before the summary.
/// </summary>
internal static class PrintedBulkRun
{
    /// <summary>Runs a plain call (cancel, delete) on every name and prints each outcome.</summary>
    /// <param name="names">The distinct, validated names.</param>
    /// <param name="call">One call on one name.</param>
    /// <param name="explainFailure">Rewords what a failed call threw before it is printed; null to keep it.</param>
    /// <param name="pastTense">What a success is called in its line ("cancelled", "deleted").</param>
    /// <param name="stopNotice">The notice printed when <paramref name="stopIssuing"/> fires.</param>
    /// <param name="settings">Output format, redaction and concurrency.</param>
    /// <param name="host">The process's streams.</param>
    /// <param name="stopIssuing">Stops issuing new calls; calls already sent finish.</param>
    public static Task<BulkSummary> RunAsync(
        IReadOnlyList<string> names,
        Func<string, Task<VaultCallInfo>> call,
        Func<Exception, Exception>? explainFailure,
        string pastTense,
        string stopNotice,
        RpcSettings settings,
        CliHost host,
        CancellationToken stopIssuing) =>
        PrintAsync(
            names.Count,
            pastTense,
            stopNotice,
            counted: null,
            settings,
            host,
            stopIssuing,
            sink => BulkRunner.RunAsync(names, call, explainFailure, settings.Concurrency, sink, stopIssuing));

    /// <summary>Runs <paramref name="call"/> on every name and prints each outcome; <paramref name="counted"/> sees each too.</summary>
    /// <param name="names">The distinct, validated names.</param>
    /// <param name="call">One call on one name, saying how it ended.</param>
    /// <param name="explainFailure">Rewords what a failed call threw before it is printed; null to keep it.</param>
    /// <param name="pastTense">What a success is called in its line ("cancelled", "deleted").</param>
    /// <param name="stopNotice">The notice printed when <paramref name="stopIssuing"/> fires.</param>
    /// <param name="counted">Called for each outcome before it is printed; null for none.</param>
    /// <param name="settings">Output format, redaction and concurrency.</param>
    /// <param name="host">The process's streams.</param>
    /// <param name="stopIssuing">Stops issuing new calls; calls already sent finish.</param>
    public static Task<BulkSummary> RunAsync(
        IReadOnlyList<string> names,
        Func<string, Task<CallOutcome>> call,
        Func<Exception, Exception>? explainFailure,
        string pastTense,
        string stopNotice,
        Action<CallOutcome>? counted,
        RpcSettings settings,
        CliHost host,
        CancellationToken stopIssuing) =>
        PrintAsync(
            names.Count,
            pastTense,
            stopNotice,
            counted,
            settings,
            host,
            stopIssuing,
            sink => BulkRunner.RunAsync(names, call, explainFailure, settings.Concurrency, sink, stopIssuing));

    private static async Task<BulkSummary> PrintAsync(
        int nameCount,
        string pastTense,
        string stopNotice,
        Action<CallOutcome>? counted,
        RpcSettings settings,
        CliHost host,
        CancellationToken stopIssuing,
        Func<IBulkOutcomeSink, Task<BulkSummary>> run)
    {
        var writer = new ResultWriter(host.Out, settings.Format, settings.Redactor);
        ProgressBar? bar = ProgressBar.StartIfUseful(host, nameCount);
        if (host.OutIsTerminal)
        {
            writer.SharedTerminalBar = bar;
        }

        try
        {
            using CancellationTokenRegistration announceStop = stopIssuing.Register(() => host.Error.WriteLine(Environment.NewLine + stopNotice));

            // Calls already sent are not cancelled: each is bounded by its timeout, and its result is real.
            BulkSummary summary = await run(new PrintingSink(writer, pastTense, counted, bar));
            await host.Out.FlushAsync(CancellationToken.None);
            return summary;
        }
        finally
        {
            if (bar is not null)
            {
                await bar.DisposeAsync();
            }
        }
    }

    /// <summary>Each outcome counted (when asked), printed, then shown on the bar.</summary>
    private sealed class PrintingSink(ResultWriter writer, string pastTense, Action<CallOutcome>? counted, ProgressBar? bar) : IBulkOutcomeSink
    {
        public void Succeeded(string name, VaultCallInfo call)
        {
            if (counted is not null)
            {
                Finished(CallOutcome.Success(name, call));
                return;
            }

            writer.WriteSuccess(name, call, pastTense);
            bar?.Advance();
        }

        public void Finished(CallOutcome outcome)
        {
            counted?.Invoke(outcome);
            writer.WriteOutcome(outcome, pastTense);
            bar?.Advance();
        }
    }
}
