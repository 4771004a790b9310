using System.CommandLine;
using VaultGrpc.Cli.Bulk;
using VaultGrpc.Cli.Clients;
using VaultGrpc.Cli.Output;
using VaultGrpc.Cli.Parsing;

namespace VaultGrpc.Cli.Commands;

/// <summary><c>list</c>: prints every operation, following page tokens, one a line.</summary>
internal static class ListCommand
{
    /// <summary>The name a failed listing is reported under.</summary>
    private const string CollectionName = "operations";

    private const string Name = "list";
    private const string Description = "Print every operation, following every page";

    /// <summary>The command's name and description alone: what the root's help shows of it.</summary>
    public static Command Outline() => new(Name, Description);

    /// <summary>Builds the command.</summary>
    public static Command Create(CliHost host)
    {
        var filter = new Option<string?>("--filter") { Description = "A filter such as done=true [default: none]", HelpName = "F" };
        var pageSize = NumberOption.WholeNumber("--page-size", "Operations per page; 0 lets the server choose", 0);
        var rpc = new RpcOptions();
        var command = new Command(Name, Description) { filter, pageSize };
        rpc.AddTo(command);
        command.SetGuardedAction(host, async (parse, cancellationToken) =>
        {
            RpcSettings settings = await rpc.BindAsync(parse, host, cancellationToken);
            int size = parse.GetValue(pageSize);
            if (size < 0)
            {
                throw new UsageException($"--page-size must not be negative (was {size}).");
            }

            var writer = new ResultWriter(host.Out, settings.Format, settings.Redactor);
            await using VaultOperationsClient client = host.CreateClient(settings.ClientOptions);
            int count = 0;
            try
            {
                await foreach (VaultGrpc.LongRunning.Operation operation in client.ListAsync(parse.GetValue(filter), size, null, cancellationToken))
                {
                    writer.WriteOperation(operation);
                    count++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                writer.WriteOutcome(CallOutcome.Failure(CollectionName, e), "listed");
                await host.Error.WriteLineAsync($"list: stopped after {count} operations.");
                return ExitCodes.CallsFailed;
            }

            await host.Error.WriteLineAsync($"list: {count} operations.");
            return ExitCodes.Success;
        });
        return command;
    }
}
