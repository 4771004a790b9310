using System.CommandLine;

namespace VaultGrpc.Cli.Commands;

/// <summary>Sets a command's action so that a usage problem exits 2 with one clean message and no stack trace.</summary>
internal static class GuardedAction
{
    /// <summary>Runs <paramref name="action"/>; <see cref="UsageException"/> becomes exit code 2, any other failure exit code 1.</summary>
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
                await host.Error.WriteLineAsync($"vault-ops {command.Name}: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await host.Error.WriteLineAsync($"vault-ops {command.Name}: interrupted.");
                return ExitCodes.CallsFailed;
            }
        });
    }
}
