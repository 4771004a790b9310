namespace VaultGrpc.Cli.Clients;

/// <summary>Makes the client the RPC commands call, from validated options; tests pass one that makes an in-memory stand-in.</summary>
/// <param name="options">The options, already validated by the command.</param>
internal delegate VaultOperationsClient ClientFactory(VaultOperationsClientOptions options);
