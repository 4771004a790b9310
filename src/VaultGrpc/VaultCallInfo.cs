namespace VaultGrpc;

/// <summary>How one facade call was served: which transport answered, and why it was not gRPC.</summary>
/// <param name="Transport">The transport whose answer the caller got.</param>
/// <param name="Fallback">Why REST served instead of gRPC; <see cref="FallbackReason.None"/> when there was no fallback.</param>
/// <param name="FallbackDetail">A short, token-free description of the gRPC failure that caused the fallback, or null.</param>
/// <param name="Attempts">How many attempts the retry policy made, 1 when the first one succeeded.</param>
public sealed record VaultCallInfo(Transport Transport, FallbackReason Fallback, string? FallbackDetail, int Attempts);
