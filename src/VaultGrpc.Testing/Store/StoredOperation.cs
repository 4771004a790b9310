using VaultGrpc.LongRunning;

namespace VaultGrpc.Testing.Internal;

/// <summary>One operation in the store with its insertion sequence; guarded by the store's lock.</summary>
internal sealed class StoredOperation(long sequence, Operation operation)
{
    public long Sequence { get; } = sequence;

    public Operation Operation { get; set; } = operation;

    public bool Removed { get; set; }

    // Created only when someone waits: thousands of seeded operations should cost no more than their protos.
    public TaskCompletionSource? Changed { get; set; }

    public void SignalChanged()
    {
        Changed?.TrySetResult();
        Changed = null;
    }
}
