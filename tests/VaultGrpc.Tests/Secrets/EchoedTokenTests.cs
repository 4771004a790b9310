using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using VaultGrpc.Tests.Cli;
using VaultGrpc.Tests.ClientBehaviour;
using VaultGrpc.Cli.Clients;

namespace VaultGrpc.Tests.Secrets;

/// <summary>
/// Real clients against loopback servers that echo the token they were sent: the token never
/// reaches the caller's logs (Grpc.Net.Client's own entries included), a REST error's message,
/// its details trailer, its exception text, or the CLI's output.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class EchoedTokenTests(EchoPeers peers) : IClassFixture<EchoPeers>
{
    private const string Token = EchoPeers.Token;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static TheoryData<string> RestEchoes => new()
    {
        "operations/html",
        "operations/html-cut-in-token",
        "operations/html-far",
        "operations/html-percent",
        "operations/json-escaped-in-body",
        "operations/aip193",
        "operations/aip193-bare-token",
        "operations/aip193-escaped",
        "operations/aip193-beyond-cut",
        "operations/bare-status",
        "operations/reason-phrase",
        "operations/media-type",
        "operations/redirect",
        "operations/success-garbage",
    };

    [Fact]
    public async Task GetAsync_GrpcServerEchoesAuthorizationHeader_GrpcNetClientLogsMaskIt()
    {
        using var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using VaultOperationsClient client = VaultOperationsClient.Create(Options(peers.Grpc.Address, TransportMode.GrpcOnly, loggerFactory));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        // Grpc.Net.Client did log the server's message: the echo reached the logger, masked.
        Assert.Contains(logs.Logs, l => l.Category.StartsWith("Grpc.Net.Client", StringComparison.Ordinal) && l.Message.Contains("rejected header Bearer ***", StringComparison.Ordinal));
        Assert.All(logs.Logs, l => Assert.DoesNotContain(Token, l.AllText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_GrpcServerEchoesToken_RpcExceptionCarriesItMasked()
    {
        await using VaultOperationsClient client = VaultOperationsClient.Create(Options(peers.Grpc.Address, TransportMode.GrpcOnly, loggerFactory: null));

        RpcException get = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/x").WaitAsync(Bound));
        RpcException cancel = await Assert.ThrowsAsync<RpcException>(() => client.CancelAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.Unauthenticated, get.StatusCode);
        Assert.Contains("***", get.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, get.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, cancel.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListPageAsync_GrpcUnimplementedEchoesToken_FallbackDetailMasksIt()
    {
        using var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        VaultOperationsClientOptions options = Options(peers.Grpc.Address, TransportMode.Auto, loggerFactory);
        await using VaultOperationsClient client = VaultOperationsClient.Create(options);

        VaultResponse<VaultGrpc.LongRunning.ListOperationsResponse> page;
        try
        {
            page = await client.ListPageAsync().WaitAsync(Bound);
        }
        catch (RpcException restFailed)
        {
            // Whatever REST said, the point is the gRPC side's echo: it must not be in the failure either.
            Assert.DoesNotContain(Token, restFailed.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Token, client.TransportStatus.LastFallbackDetail ?? string.Empty, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(FallbackReason.GrpcUnimplemented, page.Call.Fallback);
        Assert.DoesNotContain(Token, page.Call.FallbackDetail ?? string.Empty, StringComparison.Ordinal);
        Assert.All(logs.Logs, l => Assert.DoesNotContain(Token, l.AllText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task CancelAsync_GrpcServerEchoesBareToken_GrpcNetClientLogsMaskTheExactToken()
    {
        using var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using VaultOperationsClient client = VaultOperationsClient.Create(Options(peers.Grpc.Address, TransportMode.GrpcOnly, loggerFactory));

        await Assert.ThrowsAsync<RpcException>(() => client.CancelAsync("operations/x").WaitAsync(Bound));

        Assert.Contains(logs.Logs, l => l.Category.StartsWith("Grpc.Net.Client", StringComparison.Ordinal) && l.Message.Contains("rejected token ***", StringComparison.Ordinal));
        Assert.All(logs.Logs, l => Assert.DoesNotContain(Token, l.AllText(), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RestEchoes))]
    public async Task GetAsync_RestServerEchoesToken_NeitherErrorNorLogsCarryIt(string scenario)
    {
        using var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using VaultOperationsClient client = VaultOperationsClient.Create(Options(peers.Rest.BaseAddress, TransportMode.RestOnly, loggerFactory));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(scenario).WaitAsync(Bound));

        // The echo arrived and was masked, not merely absent.
        Assert.Contains("***", error.Status.Detail, StringComparison.Ordinal);
        string everything = string.Join(
            "\n",
            error.ToString(),
            error.Status.Detail,
            error.GetRpcStatus()?.ToString() ?? string.Empty,
            string.Join("\n", logs.Logs.Select(l => l.AllText())));
        Assert.DoesNotContain(Token, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Token[..8], everything, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Status.Detail);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task CliGet_RestServerEchoesToken_OutputNeverCarriesIt(string format)
    {
        string[] args =
        [
            "get", "operations/aip193-escaped", "--endpoint", peers.Rest.BaseAddress.ToString(), "--transport", "rest",
            "--access-token", Token, "--output", format,
        ];

        CliRun run = await CliRun.RunAsync(args, ExplainedFailuresClient.ForOptions, string.Empty, null, errorIsTerminal: false, CancellationToken.None);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("UNAUTHENTICATED", run.Out, StringComparison.Ordinal);
        Assert.Contains("Bearer ***", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Token[..8], run.Out + run.Error, StringComparison.Ordinal);
    }

    private static VaultOperationsClientOptions Options(Uri endpoint, TransportMode mode, ILoggerFactory? loggerFactory) => new()
    {
        Endpoint = endpoint,
        TransportMode = mode,
        Credentials = VaultCredentials.FromAccessToken(Token),
        LoggerFactory = loggerFactory,
        Retry = { MaxAttempts = 1 },
    };
}
