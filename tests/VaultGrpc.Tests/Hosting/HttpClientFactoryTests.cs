using Microsoft.Extensions.DependencyInjection;
using VaultGrpc.Testing;
using VaultGrpc.Tests.ClientBehaviour;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Hosting;

/// <summary>
/// Users' own handlers through IHttpClientFactory: with the client's handlers as the primary ones
/// they see every request, and the client's safety (the connection budget, the held message that
/// lets even a Delete move) survives them; over a handler of their own only safe methods move.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class HttpClientFactoryTests
{
    [Fact]
    public async Task AddVaultOperationsClient_FactoryHandlersOverTheClientsOwn_SeeEveryRequestAndServe()
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning("operations/f");
        VaultOperationsClientOptions fakeOptions = FakeClients.Options(fake);
        var grpcCount = new CountingHandler();
        var restCount = new CountingHandler();
        await using ServiceProvider provider = Build(fakeOptions, grpcCount, restCount, ownPrimary: true);
        VaultOperationsClient client = provider.GetRequiredService<VaultOperationsClient>();

        VaultCallInfo cancelled = await client.CancelAsync("operations/f").WaitAsync(FakeClients.Bound);

        Assert.Equal(Transport.Grpc, cancelled.Transport);
        Assert.Equal((1, 0), (grpcCount.Requests, restCount.Requests));
    }

    [Fact]
    public async Task DeleteAsync_SilentGrpcBehindFactoryHandlers_StillMovesToRestOnce()
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets);
        fake.Store.AddDone("operations/del");
        await using var silent = new SilentH2cPeer();
        VaultOperationsClientOptions options = FakeClients.Options(fake);
        options.Endpoint = silent.Address;
        options.GrpcConnectBudget = TimeSpan.FromMilliseconds(700);
        var grpcCount = new CountingHandler();
        var restCount = new CountingHandler();
        await using ServiceProvider provider = Build(options, grpcCount, restCount, ownPrimary: true);
        VaultOperationsClient client = provider.GetRequiredService<VaultOperationsClient>();

        VaultCallInfo deleted = await client.DeleteAsync("operations/del", TimeSpan.FromSeconds(10)).WaitAsync(FakeClients.Bound);

        Assert.Equal((Transport.Rest, FallbackReason.GrpcNoConnection), (deleted.Transport, deleted.Fallback));
        Assert.Null(fake.Store.Find("operations/del"));
        Assert.Equal(1, fake.Journal.Count(Transport.Rest));
        Assert.Empty(silent.Log.CompleteRequests);
        Assert.Equal((1, 1), (grpcCount.Requests, restCount.Requests));
    }

    [Fact]
    public async Task DeleteAsync_SilentGrpcOverAPlainPrimaryHandler_OutcomeUnknownNeverSentToRest()
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets);
        fake.Store.AddDone("operations/del");
        await using var silent = new SilentH2cPeer();
        VaultOperationsClientOptions options = FakeClients.Options(fake);
        options.Endpoint = silent.Address;
        options.GrpcConnectBudget = TimeSpan.FromMilliseconds(700);
        await using ServiceProvider provider = Build(options, new CountingHandler(), new CountingHandler(), ownPrimary: false);
        VaultOperationsClient client = provider.GetRequiredService<VaultOperationsClient>();

        // A plain SocketsHttpHandler sends the request right after its preface: nothing proves the
        // silent server did not get it, so the Delete is not sent again.
        await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => client.DeleteAsync("operations/del", TimeSpan.FromSeconds(10)).WaitAsync(FakeClients.Bound));

        Assert.NotNull(fake.Store.Find("operations/del"));
        Assert.Equal(0, fake.Journal.Count(Transport.Rest, OperationsMethod.Delete));
    }

    private static ServiceProvider Build(VaultOperationsClientOptions fakeOptions, CountingHandler grpcCount, CountingHandler restCount, bool ownPrimary)
    {
        var services = new ServiceCollection();
        IHttpClientBuilder grpc = services.AddHttpClient("vault-grpc").AddHttpMessageHandler(() => grpcCount);
        IHttpClientBuilder rest = services.AddHttpClient("vault-rest").AddHttpMessageHandler(() => restCount);
        if (ownPrimary)
        {
            grpc.ConfigurePrimaryHttpMessageHandler(() => VaultHttpHandlers.CreateGrpcHandler(fakeOptions));
            rest.ConfigurePrimaryHttpMessageHandler(VaultHttpHandlers.CreateRestHandler);
        }
        else
        {
            grpc.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler());
        }

        services.AddVaultOperationsClient((provider, options) =>
        {
            var handlers = provider.GetRequiredService<IHttpMessageHandlerFactory>();
            options.Endpoint = fakeOptions.Endpoint;
            options.RestEndpoint = fakeOptions.RestEndpoint;
            options.Credentials = VaultCredentials.None;
            options.GrpcConnectBudget = fakeOptions.GrpcConnectBudget;
            options.GrpcHttpHandler = handlers.CreateHandler("vault-grpc");
            options.RestHttpHandler = handlers.CreateHandler("vault-rest");
        });
        return services.BuildServiceProvider();
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
