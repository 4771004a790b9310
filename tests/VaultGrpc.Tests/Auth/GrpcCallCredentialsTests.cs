using System.Collections.Concurrent;
using System.Net.Security;
using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Auth;

/// <summary>What a real gRPC server receives from the token bridge, over loopback h2c and TLS, through the client in GrpcOnly mode.</summary>
[Trait("Category", "Reliability")]
public class GrpcCallCredentialsTests(GrpcServersFixture servers) : IClassFixture<GrpcServersFixture>
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetAsync_FixedAccessTokenOverLoopbackH2c_ServerSeesBearerToken()
    {
        var credentials = VaultCredentials.FromAccessToken("ya29.fixed-token");

        ReceivedCall received = await CallAsync(servers.Plaintext.Address, credentials);

        Assert.Equal(["Bearer ya29.fixed-token"], received.Values("authorization"));
    }

    [Fact]
    public async Task GetAsync_FixedAccessTokenOverTls_ServerSeesBearerToken()
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        var credentials = VaultCredentials.FromAccessToken("ya29.tls-token");

        ReceivedCall received = await CallAsync(servers.Tls.Address, credentials, handler);

        Assert.Equal(["Bearer ya29.tls-token"], received.Values("authorization"));
    }

    [Fact]
    public async Task GetAsync_TokenAccessWithHeaders_ServerSeesExtraHeadersAndTokenGetsServiceUrl()
    {
        var tokens = new TokenWithQuotaProject("ya29.with-headers", "quota-project-7");

        ReceivedCall received = await CallAsync(servers.Plaintext.Address, VaultCredentials.FromTokenAccess(tokens));

        Assert.Equal(["Bearer ya29.with-headers"], received.Values("authorization"));
        Assert.Equal(["quota-project-7"], received.Values("x-goog-user-project"));
        Assert.Equal(new Uri(servers.Plaintext.Address, "google.longrunning.Operations").ToString(), Assert.Single(tokens.Authorities));
    }

    [Fact]
    public async Task GetAsync_NoCredentials_ServerSeesNoAuthorizationHeader()
    {
        ReceivedCall received = await CallAsync(servers.Plaintext.Address, VaultCredentials.None);

        Assert.Empty(received.Values("authorization"));
    }

    [Fact]
    public async Task GetAsync_TokenSourceFails_ThrowsRpcExceptionWithoutFallback()
    {
        var credentials = VaultCredentials.FromTokenAccess(new FailingTokens());
        using VaultOperationsClient client = CreateClient(servers.Plaintext.Address, credentials);

        var thrown = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(UniqueName()).WaitAsync(TestTimeout));

        Assert.IsType<TokenAcquisitionException>(thrown.Status.DebugException);
        Assert.Contains("Could not get an access token", thrown.Status.Detail, StringComparison.Ordinal);
        // The token endpoint was unreachable: retryable, as the REST transport reports it too.
        Assert.Equal(StatusCode.Unavailable, thrown.StatusCode);
        // Not evidence that gRPC is absent: Auto would not move the call to REST for it.
        Assert.Null(GrpcFailureClassifier.Classify(thrown, callerCancelled: false));
    }

    [Fact]
    public async Task FromTokenAccess_OnCallersOwnChannel_ServerSeesBearerToken()
    {
        string name = UniqueName();
        CallCredentials callCredentials = VaultCallCredentials.FromTokenAccess(GoogleCredential.FromAccessToken("ya29.own-channel"));
        using var channel = GrpcChannel.ForAddress(servers.Plaintext.Address, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            UnsafeUseInsecureChannelCallCredentials = true,
        });
        var client = new Operations.OperationsClient(channel);

        await client.GetOperationAsync(new GetOperationRequest { Name = name }, new CallOptions(credentials: callCredentials)).ResponseAsync.WaitAsync(TestTimeout);

        ReceivedCall received = Assert.Single(servers.Journal.Calls, c => c.Header("x-goog-request-params") is null && c.Deadline == DateTime.MaxValue && c.Values("authorization").Contains("Bearer ya29.own-channel"));
        Assert.Single(received.Values("authorization"));
    }

    private async Task<ReceivedCall> CallAsync(Uri endpoint, VaultCredentials credentials, HttpMessageHandler? handler = null)
    {
        string name = UniqueName();
        using VaultOperationsClient client = CreateClient(endpoint, credentials, handler);

        await client.GetAsync(name).WaitAsync(TestTimeout);

        return Assert.Single(servers.Journal.Calls, c => c.Header("x-goog-request-params") == "name=" + Uri.EscapeDataString(name));
    }

    /// <summary>The real client, gRPC only, one attempt per call, on its own channel to <paramref name="endpoint"/>.</summary>
    private static VaultOperationsClient CreateClient(Uri endpoint, VaultCredentials credentials, HttpMessageHandler? handler = null) =>
        VaultOperationsClient.Create(new VaultOperationsClientOptions
        {
            Endpoint = endpoint,
            Credentials = credentials,
            GrpcHttpHandler = handler,
            TransportMode = TransportMode.GrpcOnly,
            DefaultTimeout = TimeSpan.FromSeconds(15),
            Retry = { MaxAttempts = 1 },
        });

    private static string UniqueName() => "operations/auth-" + Guid.NewGuid().ToString("N");

    private sealed class TokenWithQuotaProject(string token, string quotaProject) : ITokenAccessWithHeaders
    {
        public ConcurrentQueue<string?> Authorities { get; } = new();

        public Task<string> GetAccessTokenForRequestAsync(string? authUri = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The bridge must ask for the token with its headers.");

        public Task<AccessTokenWithHeaders> GetAccessTokenWithHeadersForRequestAsync(string? authUri = null, CancellationToken cancellationToken = default)
        {
            Authorities.Enqueue(authUri);
            var headers = new Dictionary<string, IReadOnlyList<string>> { ["x-goog-user-project"] = [quotaProject] };
            return Task.FromResult(new AccessTokenWithHeaders(token, headers));
        }
    }

    private sealed class FailingTokens : ITokenAccess
    {
        public Task<string> GetAccessTokenForRequestAsync(string? authUri = null, CancellationToken cancellationToken = default) =>
            Task.FromException<string>(new HttpRequestException(HttpRequestError.ConnectionError, "metadata server unreachable"));
    }
}
