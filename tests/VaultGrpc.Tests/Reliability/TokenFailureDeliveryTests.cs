using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using VaultGrpc.Testing;
using VaultGrpc.Tests.ClientBehaviour;

namespace VaultGrpc.Tests.Reliability;

/// <summary>
/// Tokens are fetched before a request is sent: a token endpoint that cannot be reached proves the
/// Delete never left, so it is retried like any undelivered call and never reported outcome unknown.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class TokenFailureDeliveryTests
{
    [Theory]
    [InlineData(TransportMode.GrpcOnly)]
    [InlineData(TransportMode.RestOnly)]
    [InlineData(TransportMode.Auto)]
    public async Task DeleteAsync_TokenEndpointUnreachable_RetriedAndUnavailableNotOutcomeUnknown(TransportMode mode)
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets);
        fake.Store.AddDone("operations/d");
        var tokens = new UnreachableTokenEndpoint();
        VaultOperationsClientOptions options = FakeClients.Options(fake, mode);
        options.Credentials = VaultCredentials.FromTokenAccess(tokens);
        options.AllowInsecureCredentials = true;
        options.Retry.MaxAttempts = 3;
        options.Retry.InitialBackoff = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxBackoff = TimeSpan.FromMilliseconds(2);
        await using VaultOperationsClient client = VaultOperationsClient.Create(options);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.DeleteAsync("operations/d").WaitAsync(FakeClients.Bound));

        Assert.IsNotType<VaultOutcomeUnknownException>(error);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.StartsWith("Could not get an access token", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(tokens.Calls >= 3, $"token source asked {tokens.Calls} times");
        Assert.Empty(fake.Journal.Entries);
        Assert.NotNull(fake.Store.Find("operations/d"));
    }

    private sealed class UnreachableTokenEndpoint : ITokenAccess
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<string> GetAccessTokenForRequestAsync(string? authUri = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            throw new HttpRequestException("Connection refused (oauth2.example:443)");
        }
    }
}
