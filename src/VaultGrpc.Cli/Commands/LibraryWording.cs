using System.Text.RegularExpressions;

namespace VaultGrpc.Cli.Commands;

/// <summary>
/// Rewords a problem the library reports about its options (<c>Endpoint</c>, <c>DefaultTimeout</c>…)
/// with the vault-ops flags that set them, so that a user is never told about a property they cannot see.
/// </summary>
internal static partial class LibraryWording
{
    private static readonly Dictionary<string, string> FlagOf = new(StringComparer.Ordinal)
    {
        ["Endpoint"] = "--endpoint",
        ["RestEndpoint"] = "--rest-endpoint",
        ["TransportMode"] = "--transport",
        ["DefaultTimeout"] = "--timeout",
        ["DefaultWaitTimeout"] = "--wait-timeout",
        ["AllowInsecureCredentials"] = "--allow-insecure",
        ["VaultCredentials.None"] = "--no-auth",
        ["Credentials"] = "the credentials",
        ["Timeout.InfiniteTimeSpan"] = "unlimited",
    };

    /// <summary><paramref name="problem"/> with every known option property replaced by its flag.</summary>
    public static string InTermsOfFlags(string problem) =>
        PropertyName().Replace(problem, match => FlagOf.TryGetValue(match.Value, out string? flag) ? flag : match.Value);

    [GeneratedRegex(@"\b(?:VaultCredentials\.None|Timeout\.InfiniteTimeSpan|RestEndpoint|Endpoint|TransportMode|DefaultWaitTimeout|DefaultTimeout|AllowInsecureCredentials|Credentials)\b")]
    private static partial Regex PropertyName();
}
