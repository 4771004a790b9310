using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using VaultGrpc.Cli.Auth;

namespace VaultGrpc.Cli.Parsing;

/// <summary>System.CommandLine's help, followed by what vault-ops' exit codes mean (scripts branch on them).</summary>
internal sealed class HelpWithExitCodes(HelpAction standard) : SynchronousCommandLineAction
{
    /// <summary>The exit-code section, as shown under every help screen.</summary>
    public static readonly string Section = string.Join(
        Environment.NewLine,
        "Exit codes:",
        $"  {ExitCodes.Success}  Every call succeeded (wait: the operation is done)",
        $"  {ExitCodes.CallsFailed}  A call failed (each is reported), the run was interrupted, or wait timed out first",
        $"  {ExitCodes.Usage}  Usage error or invalid operation name: nothing was sent",
        "  cancel --confirm, for the names that did not end cancelled (the first that applies wins: 1, 6, 5, 3, 4):",
        $"  {ExitCodes.StillRunning}  Cancel accepted, but still running at the confirm timeout",
        $"  {ExitCodes.EndedOtherwise}  Completed before the cancel took effect, or failed with another error",
        $"  {ExitCodes.NotFound}  No such operation",
        $"  {ExitCodes.CancelNotSupported}  The server does not support cancel (UNIMPLEMENTED on every transport tried)",
        string.Empty,
        "Environment:",
        $"  {CredentialChoice.AccessTokenVariable}  Access token when --access-token is not given",
        "  NO_COLOR                Honoured: vault-ops prints no color or other escape sequences");

    /// <summary>The section under fake-server's help: a server's exit codes, not a client's.</summary>
    public static readonly string FakeServerSection = string.Join(
        Environment.NewLine,
        "Exit codes:",
        $"  {ExitCodes.Success}  Stopped by SIGINT (Ctrl-C) or SIGTERM, cleanly",
        $"  {ExitCodes.CallsFailed}  An unexpected failure while running",
        $"  {ExitCodes.Usage}  Usage error, or a port that cannot be listened on: nothing started");

    /// <summary>Puts this action on the root's help option, which every subcommand shares.</summary>
    public static void Install(RootCommand root)
    {
        HelpOption help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction standard)
        {
            help.Action = new HelpWithExitCodes(standard);
        }
    }

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        int result = standard.Invoke(parseResult);
        TextWriter output = parseResult.InvocationConfiguration.Output;
        output.WriteLine(parseResult.CommandResult.Command.Name == "fake-server" ? FakeServerSection : Section);
        output.WriteLine();
        return result;
    }
}
