using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Configuration;

namespace VaultGrpc.DependencyInjection;

/// <summary>
/// Reads <see cref="VaultOperationsClientOptions"/> from a configuration section (appsettings.json,
/// environment variables…) by hand rather than by reflection: the library stays trimmable, and every
/// problem names its key and says what was expected — a misspelt key is reported, not ignored.
/// </summary>
/// <remarks>
/// Keys: <c>Endpoint</c>, <c>RestEndpoint</c> (absolute URLs), <c>TransportMode</c>
/// (<c>Auto</c>, <c>GrpcOnly</c>, <c>RestOnly</c>), <c>StickyRestWindow</c>, <c>DefaultTimeout</c>,
/// <c>DefaultWaitTimeout</c>, <c>WaitPollInitialDelay</c>, <c>WaitPollMaxDelay</c>,
/// <c>KeepAlivePingDelay</c>, <c>KeepAlivePingTimeout</c>, <c>GrpcConnectBudget</c> (time spans as
/// <c>hh:mm:ss</c>, or <c>Infinite</c> where the option allows it), <c>AllowInsecureCredentials</c>,
/// <c>ApiClientSuffix</c>, <c>Credentials</c> (<c>ApplicationDefault</c> or <c>None</c>: tokens do
/// not belong in configuration files), and <c>Retry</c> with <c>MaxAttempts</c>, <c>InitialBackoff</c>,
/// <c>MaxBackoff</c>, <c>BackoffMultiplier</c>, <c>UseJitter</c>, <c>RetryableStatusCodes</c>
/// (status code names, as an array or comma-separated).
/// </remarks>
internal static class VaultOptionsConfiguration
{
    private delegate bool TryRead<T>(string text, out T value);

    private static readonly string[] TopLevelKeys =
    [
        "Endpoint", "RestEndpoint", "TransportMode", "StickyRestWindow", "DefaultTimeout", "DefaultWaitTimeout",
        "WaitPollInitialDelay", "WaitPollMaxDelay", "KeepAlivePingDelay", "KeepAlivePingTimeout", "GrpcConnectBudget",
        "AllowInsecureCredentials", "ApiClientSuffix", "Credentials", "Retry",
    ];

    private static readonly string[] RetryKeys = ["MaxAttempts", "InitialBackoff", "MaxBackoff", "BackoffMultiplier", "UseJitter", "RetryableStatusCodes"];

    /// <summary>Sets on <paramref name="options"/> every value <paramref name="section"/> holds, and returns the problems found (empty when none).</summary>
    public static List<string> Apply(IConfiguration section, VaultOperationsClientOptions options)
    {
        var reader = new Reader(section, options);
        reader.ReadAll();
        return reader.Problems;
    }

    private sealed class Reader(IConfiguration section, VaultOperationsClientOptions options)
    {
        public List<string> Problems { get; } = [];

        private string Path(string key) => section is IConfigurationSection named ? $"{named.Path}:{key}" : key;

        public void ReadAll()
        {
            foreach (IConfigurationSection child in section.GetChildren())
            {
                if (!TopLevelKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    Problems.Add($"'{child.Path}' is not a VaultOperationsClientOptions setting (known: {string.Join(", ", TopLevelKeys)}).");
                }
            }

            Uri("Endpoint", value => options.Endpoint = value);
            Uri("RestEndpoint", value => options.RestEndpoint = value);
            Value("TransportMode", "Auto, GrpcOnly or RestOnly", (string text, out TransportMode mode) => Enum.TryParse(text, ignoreCase: true, out mode) && Enum.IsDefined(mode) && !int.TryParse(text, out _), mode => options.TransportMode = mode);
            Span("StickyRestWindow", value => options.StickyRestWindow = value);
            Span("DefaultTimeout", value => options.DefaultTimeout = value, infiniteAllowed: true);
            Span("DefaultWaitTimeout", value => options.DefaultWaitTimeout = value);
            Span("WaitPollInitialDelay", value => options.WaitPollInitialDelay = value);
            Span("WaitPollMaxDelay", value => options.WaitPollMaxDelay = value);
            Span("KeepAlivePingDelay", value => options.KeepAlivePingDelay = value, infiniteAllowed: true);
            Span("KeepAlivePingTimeout", value => options.KeepAlivePingTimeout = value);
            Span("GrpcConnectBudget", value => options.GrpcConnectBudget = value, infiniteAllowed: true);
            Flag("AllowInsecureCredentials", value => options.AllowInsecureCredentials = value);
            if (section["ApiClientSuffix"] is { } suffix)
            {
                options.ApiClientSuffix = suffix;
            }

            Value<VaultCredentials>("Credentials", "ApplicationDefault or None (put access tokens in code or a secret store, not in configuration)", TryReadCredentials, credentials => options.Credentials = credentials);
            ReadRetry(section.GetSection("Retry"));
        }

        private void ReadRetry(IConfigurationSection retry)
        {
            foreach (IConfigurationSection child in retry.GetChildren())
            {
                if (!RetryKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    Problems.Add($"'{child.Path}' is not a retry setting (known: {string.Join(", ", RetryKeys)}).");
                }
            }

            Value("Retry:MaxAttempts", "a whole number", (string text, out int n) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out n), n => options.Retry.MaxAttempts = n);
            Span("Retry:InitialBackoff", value => options.Retry.InitialBackoff = value);
            Span("Retry:MaxBackoff", value => options.Retry.MaxBackoff = value);
            Value("Retry:BackoffMultiplier", "a number such as 2 or 1.5", (string text, out double x) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out x), x => options.Retry.BackoffMultiplier = x);
            Flag("Retry:UseJitter", value => options.Retry.UseJitter = value);
            ReadStatusCodes(retry.GetSection("RetryableStatusCodes"));
        }

        private void ReadStatusCodes(IConfigurationSection codes)
        {
            IEnumerable<string> names = codes.Value is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : codes.GetChildren().Select(child => child.Value ?? string.Empty);
            string[] given = names.ToArray();
            if (codes.Value is null && given.Length == 0)
            {
                return;
            }

            var parsed = new HashSet<StatusCode>();
            foreach (string name in given)
            {
                if (Enum.TryParse(name, ignoreCase: true, out StatusCode code) && Enum.IsDefined(code) && !int.TryParse(name, out _))
                {
                    parsed.Add(code);
                }
                else
                {
                    Problems.Add($"'{codes.Path}' has '{name}', which is not a gRPC status code name such as Unavailable or ResourceExhausted.");
                }
            }

            options.Retry.RetryableStatusCodes = parsed;
        }

        private static bool TryReadCredentials(string text, out VaultCredentials credentials)
        {
            credentials = text.ToLowerInvariant() switch
            {
                "applicationdefault" => VaultCredentials.ApplicationDefault(),
                "none" => VaultCredentials.None,
                _ => null!,
            };
            return credentials is not null;
        }

        private void Uri(string key, Action<Uri> set) =>
            Value(key, "an absolute http:// or https:// URL", (string text, out Uri uri) => System.Uri.TryCreate(text, UriKind.Absolute, out uri!), set);

        private void Span(string key, Action<TimeSpan> set, bool infiniteAllowed = false) =>
            Value(
                key,
                infiniteAllowed ? "a time span such as 00:00:10, or Infinite" : "a time span such as 00:00:10",
                (string text, out TimeSpan span) =>
                {
                    if (infiniteAllowed && text.Equals("Infinite", StringComparison.OrdinalIgnoreCase))
                    {
                        span = Timeout.InfiniteTimeSpan;
                        return true;
                    }

                    return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out span);
                },
                set);

        private void Flag(string key, Action<bool> set) =>
            Value(key, "true or false", (string text, out bool flag) => bool.TryParse(text, out flag), set);

        // Reads one key: absent leaves the default; present but unreadable is a problem naming the key and what was expected.
        private void Value<T>(string key, string expected, TryRead<T> read, Action<T> set)
        {
            string? text = section[key];
            if (text is null)
            {
                return;
            }

            if (!read(text.Trim(), out T value))
            {
                // The value is not shown: a misplaced secret must not reach a log through this message.
                Problems.Add($"'{Path(key)}' must be {expected}.");
                return;
            }

            set(value);
        }
    }
}
