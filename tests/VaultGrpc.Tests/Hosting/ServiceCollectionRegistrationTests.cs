using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Hosting;

/// <summary>Registration from configuration, from ready options, and keyed clients for several endpoints.</summary>
public sealed class ServiceCollectionRegistrationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void AddVaultOperationsClient_ConfigurationSection_ReadsEveryKindOfValue()
    {
        IConfiguration configuration = Configuration(new()
        {
            ["Vault:Endpoint"] = "https://vault.example",
            ["Vault:RestEndpoint"] = "https://rest.vault.example",
            ["Vault:TransportMode"] = "restonly",
            ["Vault:DefaultTimeout"] = "00:00:20",
            ["Vault:GrpcConnectBudget"] = "Infinite",
            ["Vault:Credentials"] = "None",
            ["Vault:ApiClientSuffix"] = "myapp/1.0",
            ["Vault:Retry:MaxAttempts"] = "3",
            ["Vault:Retry:BackoffMultiplier"] = "1.5",
            ["Vault:Retry:RetryableStatusCodes:0"] = "Unavailable",
            ["Vault:Retry:RetryableStatusCodes:1"] = "ResourceExhausted",
        });
        var services = new ServiceCollection();
        services.AddVaultOperationsClient(configuration.GetSection("Vault"));
        using ServiceProvider provider = services.BuildServiceProvider();

        VaultOperationsClientOptions options = provider.GetRequiredService<IOptionsMonitor<VaultOperationsClientOptions>>().Get(Options.DefaultName);

        Assert.Equal(new Uri("https://vault.example"), options.Endpoint);
        Assert.Equal(new Uri("https://rest.vault.example"), options.RestEndpoint);
        Assert.Equal(TransportMode.RestOnly, options.TransportMode);
        Assert.Equal(TimeSpan.FromSeconds(20), options.DefaultTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, options.GrpcConnectBudget);
        Assert.Same(VaultCredentials.None, options.Credentials);
        Assert.Equal("myapp/1.0", options.ApiClientSuffix);
        Assert.Equal(3, options.Retry.MaxAttempts);
        Assert.Equal(1.5, options.Retry.BackoffMultiplier);
        Assert.Equal(new HashSet<Grpc.Core.StatusCode> { Grpc.Core.StatusCode.Unavailable, Grpc.Core.StatusCode.ResourceExhausted }, options.Retry.RetryableStatusCodes);
    }

    [Fact]
    public void AddVaultOperationsClient_ConfigurationWithMistakes_StartValidationListsEveryOneByPath()
    {
        IConfiguration configuration = Configuration(new()
        {
            ["Vault:Endpont"] = "https://vault.example",
            ["Vault:DefaultTimeout"] = "ten seconds",
            ["Vault:Credentials"] = "ya29.secret-token-value",
            ["Vault:Retry:MaxAttempts"] = "many",
            ["Vault:Retry:RetryableStatusCodes"] = "Unavailable, Sometimes",
        });
        var services = new ServiceCollection();
        services.AddVaultOperationsClient(configuration.GetSection("Vault"));
        using ServiceProvider provider = services.BuildServiceProvider();

        // What the host runs at start for ValidateOnStart.
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        string all = string.Join("\n", error.Failures);
        Assert.Contains("'Vault:Endpont' is not a VaultOperationsClientOptions setting", all, StringComparison.Ordinal);
        Assert.Contains("'Vault:DefaultTimeout' must be a time span", all, StringComparison.Ordinal);
        Assert.Contains("'Vault:Credentials' must be ApplicationDefault or None", all, StringComparison.Ordinal);
        Assert.Contains("'Vault:Retry:MaxAttempts' must be a whole number", all, StringComparison.Ordinal);
        Assert.Contains("'Sometimes', which is not a gRPC status code name", all, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token-value", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddVaultOperationsClient_ReadyOptionsOfTheFake_ClientServesCalls()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync();
        fake.Store.AddRunning("operations/di-ready");
        var services = new ServiceCollection();
        services.AddVaultOperationsClient(fake.CreateClientOptions());
        await using ServiceProvider provider = services.BuildServiceProvider();

        VaultCallInfo info = await provider.GetRequiredService<VaultOperationsClient>().CancelAsync("operations/di-ready").WaitAsync(Bound);

        Assert.Equal(Transport.Grpc, info.Transport);
        Assert.Equal(1, fake.Journal.Count(Transport.Grpc));
    }

    [Fact]
    public async Task AddKeyedVaultOperationsClient_TwoEndpoints_EachKeyedClientCallsItsOwnServer()
    {
        await using FakeOperationsServer eu = await FakeOperationsServer.StartAsync();
        await using FakeOperationsServer us = await FakeOperationsServer.StartAsync();
        eu.Store.AddRunning("operations/x");
        us.Store.AddRunning("operations/x");
        var services = new ServiceCollection();
        services.AddKeyedVaultOperationsClient("eu", eu.CreateClientOptions());
        services.AddKeyedVaultOperationsClient("us", us.CreateClientOptions());
        await using ServiceProvider provider = services.BuildServiceProvider();

        VaultOperationsClient euClient = provider.GetRequiredKeyedService<VaultOperationsClient>("eu");
        VaultOperationsClient usClient = provider.GetRequiredKeyedService<VaultOperationsClient>("us");
        await euClient.CancelAsync("operations/x").WaitAsync(Bound);
        await usClient.CancelAsync("operations/x").WaitAsync(Bound);
        await usClient.CancelAsync("operations/x").WaitAsync(Bound);

        Assert.NotSame(euClient, usClient);
        Assert.Equal((1, 2), (eu.Journal.Count(Transport.Grpc), us.Journal.Count(Transport.Grpc)));
        Assert.Null(provider.GetService<VaultOperationsClient>());
    }

    [Fact]
    public void AddVaultOperationsClient_SecondDefaultRegistration_ThrowsInsteadOfDropping()
    {
        var services = new ServiceCollection();
        services.AddVaultOperationsClient(o => o.Credentials = VaultCredentials.None);

        var error = Assert.Throws<InvalidOperationException>(() => services.AddVaultOperationsClient(o => o.Credentials = VaultCredentials.None));
        services.AddKeyedVaultOperationsClient("second", o => o.Credentials = VaultCredentials.None);
        var keyed = Assert.Throws<InvalidOperationException>(() => services.AddKeyedVaultOperationsClient("second", o => o.Credentials = VaultCredentials.None));

        Assert.Contains("AddKeyedVaultOperationsClient", error.Message, StringComparison.Ordinal);
        Assert.Contains("'second'", keyed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddKeyedVaultOperationsClient_InvalidOptions_FailureNamesTheKey()
    {
        var services = new ServiceCollection();
        services.AddKeyedVaultOperationsClient("eu", o =>
        {
            o.Credentials = VaultCredentials.None;
            o.StickyRestWindow = TimeSpan.FromSeconds(-1);
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<VaultOperationsClient>("eu"));

        Assert.Contains(error.Failures, f => f.StartsWith("VaultOperationsClient 'eu': StickyRestWindow", StringComparison.Ordinal));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
