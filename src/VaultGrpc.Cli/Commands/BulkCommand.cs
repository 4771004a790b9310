using System.CommandLine;
using System.Globalization;
using VaultGrpc.Cli.Bulk;
using VaultGrpc.Cli.Clients;
using VaultGrpc.Cli.Input;

namespace VaultGrpc.Cli.Commands;

/// <summary>
/// <c>cancel</c> and <c>delete</c>: names from the command line and/or a file, all validated
/// before anything is sent, each distinct name called once with bounded concurrency.
/// </summary>
internal static class BulkCommand
{
    /// <summary>The command's name, description and argument alone: what the root's help shows of it.</summary>
    public static Command Outline(BulkVerb verb) => new(verb.CommandName, verb.Description) { NamesArgument() };

    /// <summary>Builds the command for <paramref name="verb"/>.</summary>
    public static Command Create(BulkVerb verb, CliHost host)
    {
        Argument<string[]> names = NamesArgument();
        var fromFile = new Option<string?>("--from-file")
        {
            Description = "Read names from a file, one a line (- for standard input); blank lines and # comments are skipped",
            HelpName = "PATH",
        };
        var rpc = new RpcOptions(takesConcurrency: true);
        var command = new Command(verb.CommandName, verb.Description) { names, fromFile };
        ConfirmOptions? confirm = verb == BulkVerb.Cancel ? new ConfirmOptions() : null;
        confirm?.AddTo(command);
        rpc.AddTo(command);
        command.SetGuardedAction(host, async (parse, cancellationToken) =>
        {
            // Names first: they need no I/O beyond the list itself, while credentials may need ADC.
            IReadOnlyList<string> all = parse.GetValue(names) ?? [];
            if (parse.GetValue(fromFile) is { } path)
            {
                IReadOnlyList<string> listed = await NameListReader.ReadAsync(path, host.In, cancellationToken);
                all = all.Count == 0 ? listed : [.. all, .. listed];
            }

            IReadOnlyList<string> distinct = NameSet.ValidateAndDeduplicate(all);
            TimeSpan? confirmTimeout = confirm?.Bind(parse);
            RpcSettings settings = await rpc.BindAsync(parse, host, cancellationToken);
            await using VaultOperationsClient client = host.CreateClient(settings.ClientOptions);
            return confirmTimeout is { } watch
                ? await ConfirmedCancel.RunAsync(distinct, client, watch, settings, host, cancellationToken)
                : await RunAsync(verb, distinct, client, settings, host, cancellationToken);
        });
        return command;
    }

    private static Argument<string[]> NamesArgument() => new("NAME")
    {
        Description = "Operation names, operations/…",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Calls <paramref name="verb"/> on every name, prints each result and a summary; returns the exit code.</summary>
    internal static async Task<int> RunAsync(
        BulkVerb verb, IReadOnlyList<string> names, VaultOperationsClient client, RpcSettings settings, CliHost host, CancellationToken stopIssuing)
    {
        // The real client called directly, its failures explained afterwards: no wrapper per call.
        (VaultOperationsClient direct, Func<Exception, Exception> explain) = ExplainedFailuresClient.Unwrapped(client);
        BulkSummary summary = await PrintedBulkRun.RunAsync(
            names,
            name => verb.Call(direct, name, CancellationToken.None),
            explain,
            verb.PastTense,
            $"vault-ops {verb.CommandName}: stopping; no new calls, waiting for those in flight (Ctrl-C again to quit).",
            settings,
            host,
            stopIssuing);
        await host.Error.WriteLineAsync(Describe(verb, summary));
        return summary.ExitCode;
    }

    /// <summary>The summary line on standard error.</summary>
    internal static string Describe(BulkVerb verb, BulkSummary summary)
    {
        string rate = summary.CallsPerSecond.ToString("F0", CultureInfo.InvariantCulture);
        string seconds = summary.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);
        string line = $"{verb.CommandName}: {summary.Succeeded} {verb.PastTense}, {summary.Failed} failed in {seconds} s ({rate} calls/s)";
        return summary.NotSent > 0 ? $"{line}; interrupted, {summary.NotSent} not sent" : line;
    }
}
