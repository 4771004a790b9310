using System.Net;
using System.Net.Sockets;
using VaultGrpc.Cli.Commands;
using VaultGrpc.Cli.Clients;

namespace VaultGrpc.Tests.Cli;

/// <summary>Failures name the vault-ops flags and the endpoints tried, with the real cause and no .NET type names.</summary>
[Trait("Category", "Reliability")]
public sealed class PlainFailureMessageTests
{
    [Theory]
    [InlineData("--endpoint", "https://user:pw@vault.example.com", "must not contain user:password@")]
    [InlineData("--rest-endpoint", "https://vault.example.com/v1?x=1", "must have no path, query or fragment")]
    public async Task Cancel_EndpointTheLibraryWouldRefuse_NamesTheFlagNotTheProperty(string option, string value, string expected)
    {
        CliRun run = await CliRun.RunAsync(["cancel", "operations/a", "--no-auth", option, value], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.ClientOptions);
        Assert.Contains($"{option} '", run.Error);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("Endpoint '", run.Error);
        Assert.DoesNotContain("VaultOperationsClientOptions", run.Error);
        Assert.DoesNotContain("pw", run.Error);
    }

    [Fact]
    public async Task Cancel_TokenOverPlaintextToAnotherHost_NamesFlagsToFixIt()
    {
        CliRun run = await CliRun.RunAsync(["cancel", "operations/a", "--access-token", "tok-123", "--endpoint", "http://vault.example.com"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.ClientOptions);
        Assert.Contains("--endpoint 'http://vault.example.com/' is plaintext http://", run.Error);
        Assert.Contains("--allow-insecure", run.Error);
        Assert.DoesNotContain("AllowInsecureCredentials", run.Error);
        Assert.DoesNotContain("tok-123", run.Error);
    }

    [Theory]
    [InlineData("DefaultTimeout must be positive or Timeout.InfiniteTimeSpan (was -1).", "--timeout must be positive or unlimited (was -1).")]
    [InlineData("RestEndpoint 'x' must be an absolute http:// or https:// URI.", "--rest-endpoint 'x' must be an absolute http:// or https:// URI.")]
    [InlineData("Credentials would go over plaintext; use https, VaultCredentials.None, or set AllowInsecureCredentials.", "the credentials would go over plaintext; use https, --no-auth, or set --allow-insecure.")]
    public void InTermsOfFlags_LibraryProblem_NamesTheFlag(string problem, string expected)
    {
        Assert.Equal(expected, LibraryWording.InTermsOfFlags(problem));
    }

    [Fact]
    public async Task Get_AutoAndNeitherEndpointListens_NamesBothEndpointsAndTheCause()
    {
        int grpcPort = ClosedPort();
        int restPort = ClosedPort();

        CliRun run = await CliRun.RunAsync(
            ["get", "operations/a", "--access-token", "tok-secret-1", "--endpoint", $"http://127.0.0.1:{grpcPort}", "--rest-endpoint", $"http://127.0.0.1:{restPort}", "--timeout", "20"],
            ExplainedFailuresClient.ForOptions, string.Empty, null, errorIsTerminal: false, CancellationToken.None);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"gRPC http://127.0.0.1:{grpcPort}: no connection, Connection refused", run.Out);
        Assert.Contains($"REST http://127.0.0.1:{restPort}: Connection refused", run.Out);
        Assert.DoesNotContain("Exception", run.Out + run.Error);
        Assert.DoesNotContain("tok-secret-1", run.Out + run.Error);
    }

    [Fact]
    public async Task Get_GrpcOnlyAndNothingListens_NamesTheEndpointWithoutTypeNames()
    {
        int grpcPort = ClosedPort();

        CliRun run = await CliRun.RunAsync(
            ["get", "operations/a", "--no-auth", "--transport", "grpc", "--endpoint", $"http://127.0.0.1:{grpcPort}", "--timeout", "20"],
            ExplainedFailuresClient.ForOptions, string.Empty, null, errorIsTerminal: false, CancellationToken.None);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"The gRPC endpoint http://127.0.0.1:{grpcPort} could not be reached: Connection refused", run.Out);
        Assert.DoesNotContain("Exception", run.Out + run.Error);
    }

    /// <summary>A loopback port that was just free: bound, then released, so a connection is refused.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
