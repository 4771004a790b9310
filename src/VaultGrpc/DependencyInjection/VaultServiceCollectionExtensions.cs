using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VaultGrpc;
using VaultGrpc.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <see cref="VaultOperationsClient"/>s in a service collection: one default client, or
/// keyed clients for several endpoints (<c>[FromKeyedServices("eu")] VaultOperationsClient</c>).
/// </summary>
/// <remarks>
/// Each registration is a singleton disposed with the container. Unless the registration sets them,
/// the client logs through the container's <see cref="ILoggerFactory"/>, keeps time with its
/// <see cref="TimeProvider"/> and makes its Meter with its <see cref="IMeterFactory"/> (when the
/// container has one: <c>services.AddMetrics()</c>, which hosts call). Options go through the options pattern under the key's name (empty for
/// the default client), so <c>services.Configure&lt;VaultOperationsClientOptions&gt;(name, …)</c> adds to
/// them, and they are validated with every problem listed when the host starts (<c>ValidateOnStart</c>)
/// and at the latest when the client is first resolved. A second registration for the same key
/// throws instead of being silently dropped.
/// </remarks>
public static class VaultServiceCollectionExtensions
{
    /// <summary>Registers the default client with options set up by <paramref name="configure"/>, which may resolve services.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, starting from the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A default client is already registered.</exception>
    public static IServiceCollection AddVaultOperationsClient(
        this IServiceCollection services, Action<IServiceProvider, VaultOperationsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Register(services, key: null, section: null, configure);
    }

    /// <summary>Registers the default client with options set up by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, starting from the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A default client is already registered.</exception>
    public static IServiceCollection AddVaultOperationsClient(
        this IServiceCollection services, Action<VaultOperationsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Register(services, key: null, section: null, (_, options) => configure(options));
    }

    /// <summary>
    /// Registers the default client with options read from <paramref name="section"/> (e.g.
    /// <c>configuration.GetSection("Vault")</c>), then <paramref name="configure"/>; a misspelt key or
    /// an unreadable value is reported at start with its path.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section; its keys are the option names (see README).</param>
    /// <param name="configure">Sets what configuration cannot (credentials from a secret store, handlers); may be null.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A default client is already registered.</exception>
    public static IServiceCollection AddVaultOperationsClient(
        this IServiceCollection services, IConfiguration section, Action<IServiceProvider, VaultOperationsClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        return Register(services, key: null, section, configure);
    }

    /// <summary>Registers the default client with a copy of ready options, such as a fake server's <c>CreateClientOptions()</c>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The options; copied now, so later changes do not reach the client.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A default client is already registered.</exception>
    public static IServiceCollection AddVaultOperationsClient(this IServiceCollection services, VaultOperationsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Register(services, key: null, section: null, CopyOf(options));
    }

    /// <summary>Registers a client under <paramref name="key"/> with options set up by <paramref name="configure"/>, which may resolve services.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="key">The service key, e.g. <c>"eu"</c>; its text also names the options.</param>
    /// <param name="configure">Sets the options, starting from the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A client is already registered under <paramref name="key"/>.</exception>
    public static IServiceCollection AddKeyedVaultOperationsClient(
        this IServiceCollection services, string key, Action<IServiceProvider, VaultOperationsClientOptions> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(configure);
        return Register(services, key, section: null, configure);
    }

    /// <summary>Registers a client under <paramref name="key"/> with options set up by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="key">The service key, e.g. <c>"eu"</c>; its text also names the options.</param>
    /// <param name="configure">Sets the options, starting from the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A client is already registered under <paramref name="key"/>.</exception>
    public static IServiceCollection AddKeyedVaultOperationsClient(
        this IServiceCollection services, string key, Action<VaultOperationsClientOptions> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(configure);
        return Register(services, key, section: null, (_, options) => configure(options));
    }

    /// <summary>Registers a client under <paramref name="key"/> with options read from <paramref name="section"/>, then <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="key">The service key, e.g. <c>"eu"</c>.</param>
    /// <param name="section">The configuration section; its keys are the option names.</param>
    /// <param name="configure">Sets what configuration cannot; may be null.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A client is already registered under <paramref name="key"/>.</exception>
    public static IServiceCollection AddKeyedVaultOperationsClient(
        this IServiceCollection services, string key, IConfiguration section, Action<IServiceProvider, VaultOperationsClientOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(section);
        return Register(services, key, section, configure);
    }

    /// <summary>Registers a client under <paramref name="key"/> with a copy of ready options.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="key">The service key, e.g. <c>"eu"</c>.</param>
    /// <param name="options">The options; copied now.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A client is already registered under <paramref name="key"/>.</exception>
    public static IServiceCollection AddKeyedVaultOperationsClient(this IServiceCollection services, string key, VaultOperationsClientOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(options);
        return Register(services, key, section: null, CopyOf(options));
    }

    private static IServiceCollection Register(
        IServiceCollection services, string? key, IConfiguration? section, Action<IServiceProvider, VaultOperationsClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(VaultOperationsClient) && Equals(d.ServiceKey, key)))
        {
            throw new InvalidOperationException(key is null
                ? "A default VaultOperationsClient is already registered; register clients for other endpoints with AddKeyedVaultOperationsClient."
                : $"A VaultOperationsClient is already registered under the key '{key}'.");
        }

        string name = key ?? Options.Options.DefaultName;
        services.AddOptions<VaultOperationsClientOptions>(name)
            .Configure<IServiceProvider>((options, provider) =>
            {
                options.LoggerFactory = provider.GetService<ILoggerFactory>();
                options.TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System;
                options.MeterFactory = provider.GetService<IMeterFactory>();
                if (section is not null)
                {
                    // Problems are reported by the validator, all together.
                    VaultOptionsConfiguration.Apply(section, options);
                }

                configure?.Invoke(provider, options);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<VaultOperationsClientOptions>>(new VaultOptionsValidator(name, section));

        if (key is null)
        {
            services.AddSingleton(provider => Create(provider, name));
        }
        else
        {
            services.AddKeyedSingleton(key, (provider, _) => Create(provider, name));
        }

        return services;
    }

    private static VaultOperationsClient Create(IServiceProvider provider, string name) =>
        VaultOperationsClient.Create(provider.GetRequiredService<IOptionsMonitor<VaultOperationsClientOptions>>().Get(name));

    // Every setting of a ready options object, copied at registration (the container's logger
    // factory, meter factory and clock apply only where the object left the defaults).
    private static Action<IServiceProvider, VaultOperationsClientOptions> CopyOf(VaultOperationsClientOptions ready)
    {
        VaultOperationsClientOptions copy = ready.Clone();
        bool ownClock = !ReferenceEquals(copy.TimeProvider, TimeProvider.System);
        return (_, options) =>
        {
            ILoggerFactory? containerLogging = options.LoggerFactory;
            IMeterFactory? containerMeters = options.MeterFactory;
            TimeProvider containerClock = options.TimeProvider;
            copy.CopyTo(options);
            options.LoggerFactory ??= containerLogging;
            options.MeterFactory ??= containerMeters;
            options.TimeProvider = ownClock ? copy.TimeProvider : containerClock;
        };
    }
}
