using VaultGrpc.Cli;
using VaultGrpc.Cli.Clients;
using VaultGrpc.Internal.Listing;
using VaultGrpc.Tests.Cli;

namespace VaultGrpc.Tests.Listing;

/// <summary><c>vault-ops list</c>, with the real client, against a server that would page without end: it ends, exit code 1.</summary>
[Trait("Category", "Reliability")]
public sealed class ListCommandBoundsTests
{
    [Theory]
    [InlineData("grpc")]
    [InlineData("rest")]
    public async Task List_EmptyPagesWithFreshTokensForever_EndsWithOneFailureLineAndExitCodeOne(string transport)
    {
        PagingScript script = PagingScript.EmptyPagesForever(4 * 1024);
        await using PagingPeer peer = await PagingPeer.StartAsync(script);
        VaultOperationsClientOptions options = peer.ClientOptions(Transport.Grpc);

        CliRun run = await CliRun.RunAsync(
            ["list", "--endpoint", options.Endpoint.ToString(), "--rest-endpoint", options.RestEndpoint!.ToString(), "--transport", transport, "--no-auth", "--output", "json"],
            ExplainedFailuresClient.ForOptions,
            string.Empty,
            environment: null,
            errorIsTerminal: false,
            CancellationToken.None);

        Assert.Equal(ExitCodes.CallsFailed, run.ExitCode);
        string line = Assert.Single(run.OutLines);
        Assert.Contains("INTERNAL", line, StringComparison.Ordinal);
        Assert.Contains("100 empty pages in a row", line, StringComparison.Ordinal);
        Assert.Contains("list: stopped after 0 operations.", run.Error, StringComparison.Ordinal);
        Assert.Equal(PageTokenGuard.MaxEmptyPagesInARow, script.Requests);
    }
}
