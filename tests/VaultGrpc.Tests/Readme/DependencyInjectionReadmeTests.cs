// README:dependency-injection usings begin
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VaultGrpc;
// README:dependency-injection usings end
using Google.Apis.Auth.OAuth2;
using VaultGrpc.Testing;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

// Outside the VaultGrpc namespaces, as a user's code is, so the usings above (and the test's own
// below them) are all the sample has.
namespace ReadmeSamples;

/// <summary>
/// The README's dependency-injection sample, compiled and run against two fakes: a default client from
/// configuration, a keyed one whose credentials come from a service, both behind the user's own
/// handlers through IHttpClientFactory. ReadmeSyncTests compares the region with README.md.
/// </summary>
public sealed class DependencyInjectionReadmeTests
{
    [Fact]
    public async Task ReadmeSample_ConfigurationKeyedAndFactoryHandlers_BothClientsServeThroughTheAuditHandler()
    {
        await using FakeOperationsServer main = await StartAsync(FakeHosting.Sockets);
        await using FakeOperationsServer europe = await StartAsync(FakeHosting.Sockets);
        main.Store.AddRunning("operations/a");
        europe.Store.AddRunning("operations/a");
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vault:Endpoint"] = main.GrpcAddress.ToString(),
            ["Vault:Credentials"] = "None",
            ["Vault:Retry:MaxAttempts"] = "3",
            ["VaultEu:Endpoint"] = europe.GrpcAddress.ToString(),
            ["VaultEu:RestEndpoint"] = europe.RestAddress.ToString(),
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<MyTokens>();
        services.AddTransient<AuditHandler>();
        services.AddSingleton<AuditLog>();

        // README:dependency-injection begin
        // appsettings.json: { "Vault": { "Endpoint": "https://vault.googleapis.com", "Retry": { "MaxAttempts": 3 } },
        //                     "VaultEu": { "Endpoint": "https://eu.example", "RestEndpoint": "https://eu-rest.example" } }
        services.AddVaultOperationsClient(configuration.GetSection("Vault"), UseFactoryHandlers);
        services.AddKeyedVaultOperationsClient("eu", configuration.GetSection("VaultEu"), (provider, options) =>
        {
            options.Credentials = VaultCredentials.FromTokenAccess(provider.GetRequiredService<MyTokens>());
            options.AllowInsecureCredentials = true; // the fakes in this test are plaintext loopback
            UseFactoryHandlers(provider, options);
        });

        // Your own handlers above the client's: its connection budget, held message and no-redirect rule stay.
        services.AddHttpClient("vault-grpc").AddHttpMessageHandler<AuditHandler>()
            .ConfigurePrimaryHttpMessageHandler(() => VaultHttpHandlers.CreateGrpcHandler(new VaultOperationsClientOptions()));
        services.AddHttpClient("vault-rest").AddHttpMessageHandler<AuditHandler>()
            .ConfigurePrimaryHttpMessageHandler(VaultHttpHandlers.CreateRestHandler);

        static void UseFactoryHandlers(IServiceProvider provider, VaultOperationsClientOptions options)
        {
            var handlers = provider.GetRequiredService<IHttpMessageHandlerFactory>();
            options.GrpcHttpHandler = handlers.CreateHandler("vault-grpc");
            options.RestHttpHandler = handlers.CreateHandler("vault-rest");
        }

        // Then in a constructor: VaultOperationsClient client, [FromKeyedServices("eu")] VaultOperationsClient eu
        // README:dependency-injection end

        await using ServiceProvider provider = services.BuildServiceProvider();
        VaultCallInfo viaDefault = await provider.GetRequiredService<VaultOperationsClient>().CancelAsync("operations/a").WaitAsync(Bound);
        VaultCallInfo viaEurope = await provider.GetRequiredKeyedService<VaultOperationsClient>("eu").CancelAsync("operations/a").WaitAsync(Bound);

        Assert.Equal((Transport.Grpc, Transport.Grpc), (viaDefault.Transport, viaEurope.Transport));
        Assert.Equal((1, 1), (main.Journal.Count(Transport.Grpc), europe.Journal.Count(Transport.Grpc)));
        Assert.False(main.Journal.Entries.Single().HasAuthorization);
        Assert.True(europe.Journal.Entries.Single().HasAuthorization);
        Assert.Equal(2, provider.GetRequiredService<AuditLog>().Requests);
    }

    private sealed class MyTokens : ITokenAccess
    {
        public Task<string> GetAccessTokenForRequestAsync(string? authUri = null, CancellationToken cancellationToken = default) =>
            Task.FromResult("token-from-a-service");
    }

    private sealed class AuditLog
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        public void Add() => Interlocked.Increment(ref _requests);
    }

    private sealed class AuditHandler(AuditLog log) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            log.Add();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
