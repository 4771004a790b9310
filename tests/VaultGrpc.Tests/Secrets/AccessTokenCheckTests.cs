using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Testing;
using VaultGrpc.Tests.Cli;
using VaultGrpc.Tests.ClientBehaviour;

namespace VaultGrpc.Tests.Secrets;

/// <summary>
/// A token must be printable ASCII without spaces, quotes or backslashes: a fixed one is refused
/// before any I/O (a usage error in the CLI), one produced at run time fails its call with
/// Unauthenticated before anything is sent. Messages say where and what, never the token.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class AccessTokenCheckTests
{
    private const string Body = "SENTINELq7Zx";

    public static TheoryData<string, string> BadTokens => new()
    {
        { Body + "\u00E9", "a non-ASCII character (U+00E9) at character 13 of 13" },
        { Body + "\r", "a carriage return (U+000D, a control character) at character 13 of 13" },
        { Body + "\n", "a line feed (U+000A, a control character) at character 13 of 13" },
        { "SENTINEL\r\nq7Zx", "a carriage return (U+000D, a control character) at character 9 of 14 (and 1 more" },
        { "SENTINEL\"q7Zx", "a double quote (U+0022) at character 9" },
        { "SENTINEL'q7Zx", "a single quote (U+0027) at character 9" },
        { "SENTINEL\\q7Zx", "a backslash (U+005C) at character 9" },
        { "SENTINEL q7Zx", "a space (U+0020) at character 9" },
        { string.Empty, "it is empty" },
        { "SENTINEL\u007Fq7Zx", "a DEL (U+007F, a control character) at character 9" },
        { "SENTINEL\tq7Zx", "a tab (U+0009, a control character) at character 9" },
        { "SENTINEL\u00A0q7Zx", "a non-ASCII space (U+00A0) at character 9" },
        { "SENTINEL\U0001F600q7Zx", "a non-ASCII character (U+1F600) at character 9" },
        { "SENTINEL\u0000q7Zx", "a control character (U+0000) at character 9" },
        { "SENTINEL\u200Bq7Zx", "a non-ASCII character (U+200B) at character 9" },
        { "SENTINEL\u0085q7Zx", "a non-ASCII space (U+0085) at character 9" },
        { "Bearer SENTINELq7Zx", "without \"Bearer \"" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public void FromAccessToken_BadToken_ArgumentExceptionNamesPositionAndClassNotToken(string token, string expected)
    {
        var thrown = Assert.Throws<ArgumentException>(() => VaultCredentials.FromAccessToken(token));

        Assert.Equal("accessToken", thrown.ParamName);
        Assert.Contains(expected, thrown.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SENTINEL", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromAccessToken_UnpairedSurrogate_Refused()
    {
        // Not theory data: xunit's serialisation of test cases would replace the lone surrogate.
        var thrown = Assert.Throws<ArgumentException>(() => VaultCredentials.FromAccessToken("SENTINEL\uD83Dq7Zx"));

        Assert.Contains("an unpaired surrogate (U+D83D, not ASCII) at character 9", thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ya29.a0AfB_xyz-~+/=")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")]
    [InlineData("!#$%&()*,:;<=>?@[]^`{|}")]
    public void FromAccessToken_PrintableAscii_Accepted(string token)
    {
        Assert.Equal("access-token", VaultCredentials.FromAccessToken(token).Description);
    }

    [Theory]
    [InlineData("SENTINELq7Zx\u00E9", "a non-ASCII character (U+00E9)")]
    [InlineData("SENTINELq7Zx\r\n", "a carriage return")]
    [InlineData("SENTINEL\"q7Zx", "a double quote")]
    [InlineData("SENTINEL q7Zx", "a space")]
    public async Task Cli_BadAccessToken_UsageErrorBeforeAnyClient(string token, string expected)
    {
        var gateway = new InMemoryClient();

        CliRun fromOption = await CliRun.RunAsync(["cancel", "operations/a", "--endpoint", "http://127.0.0.1:1", "--access-token", token], gateway);
        CliRun fromEnvironment = await CliRun.RunAsync(
            ["cancel", "operations/a", "--endpoint", "http://127.0.0.1:1"], gateway, environment: new Dictionary<string, string> { ["VAULT_OPS_ACCESS_TOKEN"] = token });

        Assert.Equal((2, 2), (fromOption.ExitCode, fromEnvironment.ExitCode));
        Assert.Contains($"The access token from --access-token cannot be sent: it has {expected}", fromOption.Error, StringComparison.Ordinal);
        Assert.Contains("The access token from VAULT_OPS_ACCESS_TOKEN cannot be sent", fromEnvironment.Error, StringComparison.Ordinal);
        // No client was made, so nothing was sent; and the token is not printed.
        Assert.Empty(fromOption.ClientOptions.Concat(fromEnvironment.ClientOptions));
        Assert.Equal(0, gateway.TotalCalls);
        Assert.DoesNotContain("SENTINEL", fromOption.Out + fromOption.Error + fromEnvironment.Out + fromEnvironment.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TransportMode.Auto)]
    [InlineData(TransportMode.GrpcOnly)]
    [InlineData(TransportMode.RestOnly)]
    public async Task Call_TokenSourceReturnsBadToken_UnauthenticatedAndNothingSent(TransportMode mode)
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets, o => o.SeedRunningOperations = 1);
        VaultOperationsClientOptions options = FakeClients.Options(fake, mode);
        options.Credentials = VaultCredentials.FromTokenAccess(new FixedTokens("SENTINELq7Zx\r\nX-Injected: 1"));
        await using VaultOperationsClient client = VaultOperationsClient.Create(options);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/seed-00000").WaitAsync(FakeClients.Bound));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("access token that cannot be sent: it has a carriage return (U+000D, a control character) at character 13", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("SENTINEL", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, fake.Journal.Count());
    }

    [Fact]
    public async Task KnownTokens_RotatingSource_KeepsTheLatestDistinctNewestFirst()
    {
        var tokens = new FixedTokens("token-A1", "token-B2", "token-A1", "token-C3", "token-D4", "token-E5");
        var source = new AccessTokenSource(VaultCredentials.FromTokenAccess(tokens));

        for (int call = 0; call < 6; call++)
        {
            await source.GetHeadersAsync("https://vault.example/", CancellationToken.None);
        }

        Assert.Equal(["token-E5", "token-D4", "token-C3", "token-A1"], source.KnownTokens);
    }

    /// <summary>Hands out the given tokens in turn, the last one from then on.</summary>
    private sealed class FixedTokens(params string[] tokens) : ITokenAccess
    {
        private int _next;

        public Task<string> GetAccessTokenForRequestAsync(string? authUri = null, CancellationToken cancellationToken = default)
        {
            int index = Math.Min(Interlocked.Increment(ref _next) - 1, tokens.Length - 1);
            return Task.FromResult(tokens[index]);
        }
    }
}
