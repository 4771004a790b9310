using System.CommandLine;
using VaultGrpc.Cli.Output;

namespace VaultGrpc.Cli.Commands;

/// <summary>Sets a command's action so that a usage problem exits 2 with one clean message and no stack trace.</summary>
internal static class GuardedAction
{
    /// <summary>
    /// Runs <paramref name="action"/>; <see cref="UsageException"/> becomes exit code 2, any other
    /// failure exit code 1, each reported on standard error with its text escaped (see <see cref="TerminalText"/>).
    /// </summary>
    public static void SetGuardedAction(this Command command, CliHost host, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken);
            }
            catch (UsageException e)
            {
                await WriteErrorAsync(host, command, e.Message);
                return ExitCodes.Usage;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await host.Error.WriteLineAsync($"vault-ops {command.Name}: interrupted.");
                return ExitCodes.CallsFailed;
            }
            catch (Exception e)
            {
                // Left to System.CommandLine, the exception would be printed whole, its message (which
                // may quote a server) raw and over many lines: one escaped line instead.
                await WriteErrorAsync(host, command, $"failed: {TerminalText.Escape(VaultSafeText.OneLine(e.Message))}");
                return ExitCodes.CallsFailed;
            }
        });
    }

    /// <summary>
    /// The message on standard error, one escaped line per line of it. A message spans lines only
    /// where vault-ops joined several problems; values quoted inside are escaped where they are
    /// inserted, so a line break in a value never starts a line of its own.
    /// </summary>
    private static async Task WriteErrorAsync(CliHost host, Command command, string message)
    {
        string prefix = $"vault-ops {command.Name}: ";
        foreach (string line in message.Split('\n'))
        {
            await host.Error.WriteLineAsync(prefix + TerminalText.Escape(line.TrimEnd('\r')));
            prefix = string.Empty;
        }
    }
}
