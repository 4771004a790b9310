namespace VaultGrpc.Internal;

/// <summary>What bounds one attempt of a call: its deadline and the caller's token.</summary>
/// <param name="Deadline">UTC instant after which the attempt must fail with DeadlineExceeded; null for none.</param>
/// <param name="CancellationToken">The caller's token, and nothing else: when it fires, the caller cancelled.</param>
internal readonly record struct CallScope(DateTime? Deadline, CancellationToken CancellationToken);
