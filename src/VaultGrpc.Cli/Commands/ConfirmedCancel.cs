using System.Globalization;
using VaultGrpc.Cli.Bulk;
using VaultGrpc.Cli.Clients;
using VaultGrpc.Cli.Output;

namespace VaultGrpc.Cli.Commands;

/// <summary>
/// <c>cancel --confirm</c>: CancelAndConfirmAsync on every name with bounded concurrency, one line
/// per name saying what became of it, a summary by outcome, and an exit code that says the worst.
/// </summary>
internal static class ConfirmedCancel
{
    // Which exit code wins when names end differently: a failed call first, then the outcomes that
    // need someone's attention most.
    private static readonly int[] Precedence =
        [ExitCodes.CallsFailed, ExitCodes.CancelNotSupported, ExitCodes.NotFound, ExitCodes.StillRunning, ExitCodes.EndedOtherwise];

    /// <summary>Cancels and confirms every name; returns the exit code.</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> names, VaultOperationsClient client, TimeSpan confirmTimeout, RpcSettings settings, CliHost host, CancellationToken stopIssuing)
    {
        var counts = new Dictionary<VaultCancelOutcome, int>();
        (VaultOperationsClient direct, Func<Exception, Exception> explain) = ExplainedFailuresClient.Unwrapped(client);
        BulkSummary summary = await PrintedBulkRun.RunAsync(
            names,
            async name => CallOutcome.Confirmation(await direct.CancelAndConfirmAsync(name, confirmTimeout, CancellationToken.None)),
            explain,
            "cancelled",
            "vault-ops cancel: stopping; no new cancels, waiting for those being confirmed (Ctrl-C again to quit).",
            outcome =>
            {
                if (outcome.Confirmed is { } confirmed)
                {
                    counts[confirmed.Outcome] = counts.GetValueOrDefault(confirmed.Outcome) + 1;
                }
            },
            settings,
            host,
            stopIssuing);

        int failedCalls = summary.Finished - counts.Values.Sum();
        await host.Error.WriteLineAsync(Describe(counts, failedCalls, summary));
        return ExitCode(counts, failedCalls, summary.NotSent);
    }

    /// <summary>The exit code of a run: 0 only when every name was sent and ended cancelled.</summary>
    internal static int ExitCode(IReadOnlyDictionary<VaultCancelOutcome, int> counts, int failedCalls, int notSent)
    {
        var codes = new HashSet<int>(counts.Where(c => c.Value > 0).Select(c => CancelOutcomeNames.ExitCode(c.Key)));
        if (failedCalls > 0 || notSent > 0)
        {
            codes.Add(ExitCodes.CallsFailed);
        }

        return Precedence.FirstOrDefault(codes.Contains, ExitCodes.Success);
    }

    private static string Describe(Dictionary<VaultCancelOutcome, int> counts, int failedCalls, BulkSummary summary)
    {
        IEnumerable<string> parts = Enum.GetValues<VaultCancelOutcome>()
            .Select(o => $"{counts.GetValueOrDefault(o)} {CancelOutcomeNames.Of(o).Replace('_', ' ')}")
            .Append($"{failedCalls} failed");
        string seconds = summary.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);
        string line = $"cancel --confirm: {string.Join(", ", parts)} in {seconds} s";
        return summary.NotSent > 0 ? $"{line}; interrupted, {summary.NotSent} not sent" : line;
    }
}
