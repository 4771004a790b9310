using System.Diagnostics.Metrics;
using System.Reflection;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace VaultGrpc.Tests.Fallback;

/// <summary>
/// Clone and CopyTo share one hand-written list of settings: every public setting, set away from its
/// default, must come through, and the mutable parts must be copies.
/// </summary>
public sealed class ClientOptionsCopyTests
{
    [Fact]
    public void Clone_EverySettingChanged_EveryOneCopiedAndMutablePartsNotShared()
    {
        using var grpcHandler = new HttpClientHandler();
        using var restHandler = new HttpClientHandler();
        var options = new VaultOperationsClientOptions
        {
            Endpoint = new Uri("https://eu.example"),
            RestEndpoint = new Uri("https://rest.example"),
            TransportMode = TransportMode.RestOnly,
            StickyRestWindow = TimeSpan.FromMinutes(1),
            DefaultTimeout = TimeSpan.FromSeconds(3),
            DefaultWaitTimeout = TimeSpan.FromMinutes(2),
            WaitPollInitialDelay = TimeSpan.FromSeconds(2),
            WaitPollMaxDelay = TimeSpan.FromSeconds(20),
            Retry = { MaxAttempts = 2 },
            Credentials = VaultCredentials.None,
            AllowInsecureCredentials = true,
            GrpcHttpHandler = grpcHandler,
            RestHttpHandler = restHandler,
            KeepAlivePingDelay = TimeSpan.FromSeconds(7),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(8),
            GrpcConnectBudget = TimeSpan.FromSeconds(1),
            TimeProvider = new FakeTimeProvider(),
            LoggerFactory = NullLoggerFactory.Instance,
            MeterFactory = new NoMeterFactory(),
            ApiClientSuffix = "app/1",
            AnyTypes = { StringValue.Descriptor },
        };
        var defaults = new VaultOperationsClientOptions();
        PropertyInfo[] settings = typeof(VaultOperationsClientOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance);

        VaultOperationsClientOptions copy = options.Clone();

        PropertyInfo[] plain = settings.Where(p => p.Name is not nameof(VaultOperationsClientOptions.Retry) and not nameof(VaultOperationsClientOptions.AnyTypes)).ToArray();

        // The test itself must change every setting, or a missing copy would pass unseen.
        Assert.All(plain, p => Assert.False(Equals(p.GetValue(defaults), p.GetValue(options)), $"{p.Name} is left at its default"));
        Assert.All(plain, p => Assert.Equal(p.GetValue(options), p.GetValue(copy)));
        Assert.NotSame(options.Retry, copy.Retry);
        Assert.Equal(2, copy.Retry.MaxAttempts);
        Assert.NotSame(options.AnyTypes, copy.AnyTypes);
        Assert.Equal(options.AnyTypes, copy.AnyTypes);
    }

    private sealed class NoMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
