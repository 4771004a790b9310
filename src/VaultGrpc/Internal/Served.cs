namespace VaultGrpc.Internal;

/// <summary>The result of one successful attempt and how it was served.</summary>
internal readonly record struct Served<T>(T Value, Transport Transport, FallbackReason Fallback, string? FallbackDetail);
