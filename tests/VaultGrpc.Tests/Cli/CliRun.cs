using System.Text;
using VaultGrpc.Cli;
using VaultGrpc.Cli.Clients;

namespace VaultGrpc.Tests.Cli;

/// <summary>Runs vault-ops in-process with captured streams.</summary>
internal sealed class CliRun
{
    public required int ExitCode { get; init; }

    public required string Out { get; init; }

    public required string Error { get; init; }

    public required IReadOnlyList<VaultOperationsClientOptions> ClientOptions { get; init; }

    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static Task<CliRun> RunAsync(string[] args, VaultOperationsClient client, string standardInput = "", IDictionary<string, string>? environment = null, CancellationToken cancellationToken = default) =>
        RunAsync(args, _ => client, standardInput, environment, errorIsTerminal: false, cancellationToken);

    public static Task<CliRun> RunAsync(
        string[] args,
        ClientFactory factory,
        string standardInput,
        IDictionary<string, string>? environment,
        bool errorIsTerminal,
        CancellationToken cancellationToken) =>
        RunAsync(args, factory, new MemoryStream(Encoding.UTF8.GetBytes(standardInput)), environment, errorIsTerminal, cancellationToken);

    /// <summary>With standard input as raw bytes (invalid UTF-8, a byte order mark, an endless stream).</summary>
    public static async Task<CliRun> RunAsync(
        string[] args,
        ClientFactory factory,
        Stream standardInput,
        IDictionary<string, string>? environment,
        bool errorIsTerminal,
        CancellationToken cancellationToken)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var created = new List<VaultOperationsClientOptions>();
        var host = new CliHost(
            standardInput,
            TextWriter.Synchronized(output),
            TextWriter.Synchronized(error),
            OutIsTerminal: false,
            ErrorIsTerminal: errorIsTerminal,
            name => environment is not null && environment.TryGetValue(name, out string? value) ? value : null,
            options =>
            {
                lock (created)
                {
                    created.Add(options);
                }

                return factory(options);
            });
        int exitCode = await VaultOpsApp.RunAsync(args, host, cancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
        return new CliRun { ExitCode = exitCode, Out = output.ToString(), Error = error.ToString(), ClientOptions = created };
    }
}
