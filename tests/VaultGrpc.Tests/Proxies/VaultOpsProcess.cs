using System.Text.Json.Nodes;

namespace VaultGrpc.Tests.Proxies;

/// <summary>
/// vault-ops run as its own process, with the library's default handlers, so that an environment
/// variable such as <c>HTTPS_PROXY</c> reaches it the way it reaches a user's program (in this
/// process HttpClient.DefaultProxy is read once and shared by every test).
/// </summary>
internal static class VaultOpsProcess
{
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(60);

    // Proxy settings of the machine that would otherwise decide instead of the test.
    private static readonly string[] ProxyVariables =
        ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"];

    /// <summary>Runs <c>vault-ops</c> with <paramref name="arguments"/>, behind <paramref name="httpsProxy"/>, trusting only the certificate in <paramref name="trustedPemFile"/>.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<JsonObject> Results, string Diagnostics)> RunAsync(
        IEnumerable<string> arguments, Uri httpsProxy, string trustedPemFile, string workingDirectory)
    {
        var environment = ProxyVariables.ToDictionary(name => name, _ => (string?)null);
        environment["HTTPS_PROXY"] = httpsProxy.ToString();
        // OpenSSL's trust store variable, which .NET reads on Linux: the child trusts the test's
        // certificate (and nothing else), so it runs exactly as shipped.
        environment["SSL_CERT_FILE"] = trustedPemFile;
        environment["SSL_CERT_DIR"] = workingDirectory;
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        string cli = Path.Combine(AppContext.BaseDirectory, "vault-ops.dll");
        await using ExternalProcess process = ExternalProcess.Start(DotnetHost(), [cli, .. arguments], workingDirectory, environment);
        int exitCode = await process.WaitForExitAsync(RunBound);
        var results = process.Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .ToList();
        return (exitCode, results, process.Diagnostics);
    }

    // The SDK tells its test hosts where dotnet is; else the one on PATH.
    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
