using System.CommandLine;
using VaultGrpc.Cli.Bulk;
using VaultGrpc.Cli.Clients;
using VaultGrpc.Cli.Output;

namespace VaultGrpc.Cli.Commands;

/// <summary><c>get NAME</c>: prints the operation's latest state.</summary>
internal static class GetCommand
{
    private const string Name = "get";
    private const string Description = "Print an operation's latest state";

    /// <summary>The command's name, description and argument alone: what the root's help shows of it.</summary>
    public static Command Outline() => new(Name, Description) { SingleNameArgument.Create() };

    /// <summary>Builds the command.</summary>
    public static Command Create(CliHost host)
    {
        Argument<string> name = SingleNameArgument.Create();
        var rpc = new RpcOptions();
        var command = new Command(Name, Description) { name };
        rpc.AddTo(command);
        command.SetGuardedAction(host, async (parse, cancellationToken) =>
        {
            string validName = SingleNameArgument.GetValid(parse, name);
            RpcSettings settings = await rpc.BindAsync(parse, host, cancellationToken);
            var writer = new ResultWriter(host.Out, settings.Format, settings.Redactor);
            await using VaultOperationsClient client = host.CreateClient(settings.ClientOptions);
            try
            {
                VaultResponse<VaultGrpc.LongRunning.Operation> response = await client.GetAsync(validName, null, cancellationToken);
                writer.WriteOperation(response.Value);
                writer.WriteServedBy(response.Call);
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                writer.WriteOutcome(CallOutcome.Failure(validName, e), "got");
                return ExitCodes.CallsFailed;
            }
        });
        return command;
    }
}
