namespace VaultGrpc.Cli;

/// <summary>A problem with what the user asked for, found before anything was sent; exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
