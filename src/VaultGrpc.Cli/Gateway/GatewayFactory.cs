namespace VaultGrpc.Cli.Gateway;

/// <summary>Makes a gateway from validated client options.</summary>
/// <param name="options">The options, already validated by the command.</param>
internal delegate IOperationsGateway GatewayFactory(VaultOperationsClientOptions options);
