using System.CommandLine;
using System.Globalization;
using VaultGrpc.Cli.Bulk;
using VaultGrpc.Cli.Clients;
using VaultGrpc.Cli.Output;
using VaultGrpc.Cli.Parsing;

namespace VaultGrpc.Cli.Commands;

/// <summary>
/// <c>wait NAME</c>: waits until the operation is done and prints it. Exits 0 when it is done
/// (whatever its own result), 1 when it was still running at the wait timeout or the call failed.
/// </summary>
internal static class WaitCommand
{
    private const string Name = "wait";
    private const string Description = "Wait until an operation is done, then print it";

    /// <summary>The command's name, description and argument alone: what the root's help shows of it.</summary>
    public static Command Outline() => new(Name, Description) { SingleNameArgument.Create() };

    /// <summary>Builds the command.</summary>
    public static Command Create(CliHost host)
    {
        Argument<string> name = SingleNameArgument.Create();
        var waitTimeout = NumberOption.Seconds("--wait-timeout", $"Longest wait in seconds [default: {new VaultOperationsClientOptions().DefaultWaitTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}]");
        var rpc = new RpcOptions();
        var command = new Command(Name, Description) { name, waitTimeout };
        rpc.AddTo(command);
        command.SetGuardedAction(host, async (parse, cancellationToken) =>
        {
            string validName = SingleNameArgument.GetValid(parse, name);
            RpcSettings settings = await rpc.BindAsync(parse, host, cancellationToken);
            TimeSpan? wait = null;
            if (parse.GetValue(waitTimeout) is { } seconds)
            {
                if (!double.IsFinite(seconds) || seconds <= 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
                {
                    throw new UsageException($"--wait-timeout must be a positive number of seconds (was {seconds.ToString(CultureInfo.InvariantCulture)}).");
                }

                wait = TimeSpan.FromSeconds(seconds);
            }

            var writer = new ResultWriter(host.Out, settings.Format, settings.Redactor);
            await using VaultOperationsClient client = host.CreateClient(settings.ClientOptions);
            try
            {
                VaultResponse<VaultGrpc.LongRunning.Operation> response = await client.WaitAsync(validName, wait, cancellationToken);
                writer.WriteOperation(response.Value);
                writer.WriteServedBy(response.Call);
                if (response.Value.Done)
                {
                    return ExitCodes.Success;
                }

                await host.Error.WriteLineAsync($"vault-ops wait: {TerminalText.Escape(validName)} was still running when the wait timed out.");
                return ExitCodes.CallsFailed;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                writer.WriteOutcome(CallOutcome.Failure(validName, e), "waited");
                return ExitCodes.CallsFailed;
            }
        });
        return command;
    }
}
