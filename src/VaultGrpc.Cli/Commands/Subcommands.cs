using System.CommandLine;

namespace VaultGrpc.Cli.Commands;

/// <summary>
/// vault-ops' subcommands, each as an outline (name, description and arguments: all that the root's
/// help and a parse that stops at the root read of it) and as the whole command (options, checks,
/// action). A run builds whole only the subcommands its arguments may reach, so that
/// <c>vault-ops --help</c> builds no subcommand's options and loads neither the client library nor
/// the fake server (issue 9: cold start).
/// </summary>
internal static class Subcommands
{
    private static readonly Subcommand[] InHelpOrder =
    [
        new(() => BulkCommand.Outline(BulkVerb.Cancel), host => BulkCommand.Create(BulkVerb.Cancel, host)),
        new(GetCommand.Outline, GetCommand.Create),
        new(() => BulkCommand.Outline(BulkVerb.Delete), host => BulkCommand.Create(BulkVerb.Delete, host)),
        new(ListCommand.Outline, ListCommand.Create),
        new(WaitCommand.Outline, WaitCommand.Create),
        new(DemoCommand.Outline, DemoCommand.Create),
        new(FakeServerCommand.Outline, FakeServerCommand.Create),
    ];

    /// <summary>Every subcommand whole.</summary>
    public static IEnumerable<Command> Whole(CliHost host) => InHelpOrder.Select(s => s.Build(host));

    /// <summary>
    /// Every subcommand, whole where <paramref name="args"/> may reach it, else its outline. A
    /// subcommand is reached only by its name (or an alias) as an argument of its own; a response file (<c>@file</c>)
    /// or a directive (<c>[suggest]</c>, <c>[diagram]</c>) may hide a name or read options, so either
    /// builds every subcommand whole.
    /// </summary>
    public static IEnumerable<Command> For(IReadOnlyList<string> args, CliHost host)
    {
        if (args.Any(a => a.StartsWith('@') || a.StartsWith('[')))
        {
            return Whole(host);
        }

        return InHelpOrder.Select(s => s.Outline() is var outline && args.Any(a => a == outline.Name || outline.Aliases.Contains(a)) ? s.Build(host) : outline);
    }

    /// <summary>Every subcommand's outline alone (tests compare each with the whole command).</summary>
    internal static IEnumerable<Command> Outlines() => InHelpOrder.Select(s => s.Outline());

    private sealed record Subcommand(Func<Command> Outline, Func<CliHost, Command> Build);
}
