using VaultGrpc.Cli.Clients;

namespace VaultGrpc.Cli;

/// <summary>
/// Everything vault-ops takes from the process: streams, the environment and how clients are made.
/// Tests build one with string writers and an in-memory client.
/// </summary>
/// <param name="In">Standard input as bytes, read by <c>--from-file -</c> (bytes, so that invalid UTF-8 is found, not replaced).</param>
/// <param name="Out">Standard output: results only, so it can be piped.</param>
/// <param name="Error">Standard error: progress, summaries and diagnostics.</param>
/// <param name="OutIsTerminal">Whether standard output is an interactive terminal.</param>
/// <param name="ErrorIsTerminal">Whether standard error is an interactive terminal (the progress bar is drawn only then).</param>
/// <param name="GetEnvironmentVariable">Reads an environment variable, null when unset.</param>
/// <param name="CreateClient">Makes the client that the RPC commands call.</param>
internal sealed record CliHost(
    Stream In,
    TextWriter Out,
    TextWriter Error,
    bool OutIsTerminal,
    bool ErrorIsTerminal,
    Func<string, string?> GetEnvironmentVariable,
    ClientFactory CreateClient)
{
    /// <summary>The host of a real process: the console and the real client.</summary>
    public static CliHost FromConsole() => new(
        Console.OpenStandardInput(),
        Console.Out,
        Console.Error,
        !Console.IsOutputRedirected,
        !Console.IsErrorRedirected,
        Environment.GetEnvironmentVariable,
        // A lambda rather than the method group: in the ReadyToRun build the method group loads the
        // client's type, and with it the client library, at start, even for --help (measured; without
        // ReadyToRun the JIT loads it here either way).
        options => ExplainedFailuresClient.ForOptions(options));
}
