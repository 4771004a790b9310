using System.CommandLine;
using System.CommandLine.Help;
using VaultGrpc.Cli.Commands;
using VaultGrpc.Cli.Output;
using VaultGrpc.Cli.Parsing;

namespace VaultGrpc.Cli;

/// <summary>The vault-ops command tree and its entry point, callable in-process (tests pass a host with string writers).</summary>
internal static class VaultOpsApp
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="host">Streams, environment and client factory.</param>
    /// <param name="cancellationToken">Ctrl-C: stops issuing new calls.</param>
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken = default)
    {
        RootCommand root = BuildRootCommand(Subcommands.For(args, host));
        ParseResult parse = root.Parse(args);
        if (!IsHelp(parse) && UnknownOptions.Find(parse) is { Count: > 0 } unknown)
        {
            // Reported alone: the other parse errors (a stray value, a missing NAME) follow from it.
            await WriteUnknownOptionsAsync(host, parse.CommandResult.Command, unknown);
            return ExitCodes.Usage;
        }

        if (parse.Errors.Count > 0 && !IsHelp(parse))
        {
            // System.CommandLine exits 1 on parse errors; vault-ops promises 2 for every usage error.
            // A message quotes the offending argument, which may hold anything: one escaped line each.
            string commandPath = CommandPath(parse.CommandResult.Command);
            foreach (System.CommandLine.Parsing.ParseError error in parse.Errors)
            {
                // A mistyped option's value may be a token or a URL with a password: redacted, then escaped.
                await host.Error.WriteLineAsync($"{commandPath}: {TerminalText.Escape(VaultSafeText.Redact(error.Message))}");
            }

            await host.Error.WriteLineAsync($"Run '{commandPath} --help' for usage.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = host.Out,
            Error = host.Error,
            // Ctrl-C is handled by Program, so that in-process callers choose their own cancellation.
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    private static async Task WriteUnknownOptionsAsync(CliHost host, Command command, IReadOnlyList<string> unknown)
    {
        string commandPath = CommandPath(command);
        foreach (string option in unknown)
        {
            // Only the flag is shown: a value glued to it (`--acess-token=…`) may be a token of no
            // recognisable shape, which redaction cannot catch.
            int equals = option.IndexOf('=', StringComparison.Ordinal);
            string flag = equals < 0 ? option : option[..equals] + "=…";
            string shown = TerminalText.Escape(VaultSafeText.Redact(flag));
            string? suggestion = UnknownOptions.Suggest(command, option);
            string hint = suggestion is null ? string.Empty : $" (did you mean {suggestion}?)";
            await host.Error.WriteLineAsync($"{commandPath}: unknown option '{shown}'{hint}; nothing was sent.");
        }

        await host.Error.WriteLineAsync($"Run '{commandPath} --help' for usage.");
    }

    private static bool IsHelp(ParseResult parse) => parse.Action is HelpAction or HelpWithExitCodes;

    private static string CommandPath(Command command) => command is RootCommand ? "vault-ops" : $"vault-ops {command.Name}";

    /// <summary>The whole command tree.</summary>
    internal static RootCommand BuildRootCommand(CliHost host) => BuildRootCommand(Subcommands.Whole(host));

    private static RootCommand BuildRootCommand(IEnumerable<Command> subcommands)
    {
        var root = new RootCommand("vault-ops: cancel, inspect and wait on Google Vault long-running operations, over gRPC with REST fallback.");
        foreach (Command subcommand in subcommands)
        {
            root.Add(subcommand);
        }

        HelpWithExitCodes.Install(root);
        return root;
    }
}
