using VaultGrpc.Cli.Output;

namespace VaultGrpc.Cli.Commands;

/// <summary>The validated common options of an RPC command.</summary>
/// <param name="ClientOptions">The client's options, already validated.</param>
/// <param name="Format">How results are printed.</param>
/// <param name="Concurrency">Most calls in flight at once.</param>
/// <param name="Redactor">Hides the access token in anything printed.</param>
internal sealed record RpcSettings(VaultOperationsClientOptions ClientOptions, OutputFormat Format, int Concurrency, SecretRedactor Redactor);
