namespace VaultGrpc;

/// <summary>A value returned by a facade call, with how the call was served.</summary>
/// <typeparam name="T">The response message.</typeparam>
/// <param name="Value">The response message.</param>
/// <param name="Call">Which transport served the call, and why.</param>
public sealed record VaultResponse<T>(T Value, VaultCallInfo Call);
