namespace VaultGrpc.Testing.Internal;

/// <summary>What the transcoded REST handler produced, captured before anything reaches the client.</summary>
/// <param name="HttpStatus">The HTTP status it set.</param>
/// <param name="ContentType">Its content type.</param>
/// <param name="Body">Its body.</param>
/// <param name="Error">The error the service raised, when it raised one.</param>
internal sealed record RestResult(int HttpStatus, string? ContentType, byte[] Body, Google.Rpc.Status? Error);
