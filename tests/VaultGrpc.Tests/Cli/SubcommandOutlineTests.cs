using System.CommandLine;
using VaultGrpc.Cli;
using VaultGrpc.Cli.Commands;

namespace VaultGrpc.Tests.Cli;

/// <summary>
/// vault-ops builds whole only the subcommands a command line names (a faster start); the others are
/// outlines. An outline must show and parse at the root exactly as the whole command does.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class SubcommandOutlineTests
{
    private static readonly CliHost Host = new(
        Stream.Null, TextWriter.Null, TextWriter.Null, false, false, _ => null, _ => new InMemoryClient());

    [Fact]
    public void Outlines_EachSubcommand_MatchesTheWholeCommandWhereTheRootReadsIt()
    {
        Command[] whole = [.. VaultOpsApp.BuildRootCommand(Host).Subcommands];

        Command[] outlines = [.. Subcommands.Outlines()];

        Assert.Equal(whole.Select(Shape), outlines.Select(Shape));
    }

    [Fact]
    public async Task RootHelp_FromOutlines_IsTheWholeTreesHelp()
    {
        string wholeHelp = await HelpOfAsync(VaultOpsApp.BuildRootCommand(Host));

        CliRun run = await CliRun.RunAsync(["--help"], new InMemoryClient());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Commands:", wholeHelp);
        Assert.Equal(wholeHelp, run.Out);
    }

    [Fact]
    public void For_RootHelp_BuildsNoSubcommandWhole()
    {
        Command[] built = [.. Subcommands.For(["--help"], Host)];

        Assert.Equal(7, built.Length);
        Assert.All(built, command => Assert.Empty(command.Options));
        Assert.All(built, command => Assert.Null(command.Action));
    }

    [Fact]
    public void For_NamedSubcommand_BuildsThatOneWhole()
    {
        Command[] built = [.. Subcommands.For(["get", "operations/a", "--no-auth"], Host)];

        Assert.Equal(["get"], built.Where(c => c.Action is not null).Select(c => c.Name));
        Assert.NotEmpty(built.Single(c => c.Name == "get").Options);
    }

    [Theory]
    [InlineData("@args.rsp")]
    [InlineData("[diagram]")]
    public void For_ResponseFileOrDirective_BuildsEverySubcommandWhole(string arg)
    {
        Command[] built = [.. Subcommands.For([arg], Host)];

        Assert.All(built, command => Assert.NotNull(command.Action));
    }

    [Fact]
    public async Task Run_MistypedSubcommand_SameErrorAsTheWholeTree()
    {
        ParseResult whole = VaultOpsApp.BuildRootCommand(Host).Parse(["cancle", "operations/a"]);

        CliRun run = await CliRun.RunAsync(["cancle", "operations/a"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.NotEmpty(whole.Errors);
        Assert.All(whole.Errors, error => Assert.Contains(error.Message, run.Error));
    }

    private static string Shape(Command command) =>
        string.Join(
            " | ",
            command.Name,
            command.Description,
            command.Hidden,
            string.Join(",", command.Aliases),
            string.Join(",", command.Arguments.Select(a => $"{a.Name} {a.HelpName} {a.Description} {a.Arity.MinimumNumberOfValues}-{a.Arity.MaximumNumberOfValues} {a.Hidden} {a.ValueType}")));

    private static async Task<string> HelpOfAsync(RootCommand root)
    {
        var output = new StringWriter();
        await root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = TextWriter.Null });
        return output.ToString();
    }
}
