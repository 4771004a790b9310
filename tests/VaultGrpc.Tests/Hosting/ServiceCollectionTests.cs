using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VaultGrpc.Testing;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.Hosting;

public sealed class ServiceCollectionTests
{
    [Fact]
    public async Task AddVaultOperationsClient_Resolved_OneSharedClientThatServesCalls()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync();
        fake.Store.AddRunning("operations/di-1");
        var services = new ServiceCollection();
        services.AddVaultOperationsClient((_, options) => CopyFakeOptions(fake.CreateClientOptions(), options));
        await using ServiceProvider provider = services.BuildServiceProvider();

        VaultOperationsClient client = provider.GetRequiredService<VaultOperationsClient>();
        VaultCallInfo info = await client.CancelAsync("operations/di-1").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Same(client, provider.GetRequiredService<VaultOperationsClient>());
        Assert.Equal(Transport.Grpc, info.Transport);
        Assert.Equal(1, fake.Store.Find("operations/di-1")!.Error.Code);
    }

    [Fact]
    public async Task AddVaultOperationsClient_ContainerHasLoggingAndTime_ClientUsesThem()
    {
        FakeTimeProvider time = FakeTime.Create();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton<TimeProvider>(time);
        VaultOperationsClientOptions? seen = null;
        services.AddVaultOperationsClient((_, options) =>
        {
            options.Credentials = VaultCredentials.None;
            seen = options;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<VaultOperationsClient>();

        Assert.Same(NullLoggerFactory.Instance, seen?.LoggerFactory);
        Assert.Same(time, seen?.TimeProvider);
    }

    [Fact]
    public async Task AddVaultOperationsClient_InvalidOptions_ResolveThrowsListingProblems()
    {
        var services = new ServiceCollection();
        services.AddVaultOperationsClient(options =>
        {
            options.Credentials = VaultCredentials.None;
            options.DefaultTimeout = TimeSpan.Zero;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<VaultOperationsClient>());

        Assert.Contains(error.Failures, failure => failure.Contains("DefaultTimeout", StringComparison.Ordinal));
    }

    private static void CopyFakeOptions(VaultOperationsClientOptions from, VaultOperationsClientOptions to)
    {
        to.Endpoint = from.Endpoint;
        to.RestEndpoint = from.RestEndpoint;
        to.GrpcHttpHandler = from.GrpcHttpHandler;
        to.RestHttpHandler = from.RestHttpHandler;
        to.Credentials = from.Credentials;
    }
}
