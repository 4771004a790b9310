using System.CommandLine;
using VaultGrpc.Cli.Demo;
using VaultGrpc.Cli.Parsing;

namespace VaultGrpc.Cli.Commands;

/// <summary><c>demo</c>: a short tour against a fake started in-process; loopback only, no credentials.</summary>
internal static class DemoCommand
{
    private const string Name = "demo";
    private const string Description = "Show gRPC, the REST fallback, an error, bulk cancels and a cancel confirmed on each transport, against a fake server started in-process";

    /// <summary>The command's name and description alone: what the root's help shows of it.</summary>
    public static Command Outline() => new(Name, Description);

    /// <summary>Builds the command.</summary>
    public static Command Create(CliHost host)
    {
        var bulk = NumberOption.WholeNumber("--bulk", "Operations cancelled in each bulk step", DemoScript.DefaultBulkCount);
        var command = new Command(Name, Description) { bulk };
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
