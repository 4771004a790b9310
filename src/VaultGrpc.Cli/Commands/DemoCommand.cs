using System.CommandLine;
using VaultGrpc.Cli.Demo;

namespace VaultGrpc.Cli.Commands;

/// <summary><c>demo</c>: a short tour against a fake started in-process; loopback only, no credentials.</summary>
internal static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliHost host)
    {
        var bulk = new Option<int>("--bulk")
        {
            Description = "Operations cancelled in each bulk step",
            DefaultValueFactory = _ => DemoScript.DefaultBulkCount,
            HelpName = "N",
        };
        var command = new Command("demo", "Show gRPC, the REST fallback, an error and a bulk cancel against a fake server started in-process") { bulk };
        command.SetGuardedAction(host, async (parse, cancellationToken) =>
        {
            int count = parse.GetValue(bulk);
            if (count is < 1 or > 100_000)
            {
                throw new UsageException($"--bulk must be between 1 and 100000 (was {count}).");
            }

            return await new DemoScript(host.Out, count).RunAsync(cancellationToken);
        });
        return command;
    }
}
