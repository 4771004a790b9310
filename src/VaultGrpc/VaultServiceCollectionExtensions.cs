using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using VaultGrpc;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="VaultOperationsClient"/> in a service collection.</summary>
public static class VaultServiceCollectionExtensions
{
    /// <summary>
    /// Registers one shared <see cref="VaultOperationsClient"/> (a singleton, disposed with the
    /// container). Unless <paramref name="configure"/> sets them, the client logs through the
    /// container's <see cref="ILoggerFactory"/> and keeps time with its <see cref="TimeProvider"/>,
    /// when the container has them. The options are validated when the client is first resolved.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, starting from the defaults; it may resolve services.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddVaultOperationsClient(
        this IServiceCollection services, Action<IServiceProvider, VaultOperationsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(provider =>
        {
            var options = new VaultOperationsClientOptions
            {
                LoggerFactory = provider.GetService<ILoggerFactory>(),
                TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System,
            };
            configure(provider, options);
            return VaultOperationsClient.Create(options);
        });
        return services;
    }

    /// <summary>Registers one shared <see cref="VaultOperationsClient"/>; see the other overload.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, starting from the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddVaultOperationsClient(
        this IServiceCollection services, Action<VaultOperationsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddVaultOperationsClient((_, options) => configure(options));
    }
}
