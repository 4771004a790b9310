using VaultGrpc.LongRunning;

namespace VaultGrpc.Testing.Internal;

/// <summary>One operation in the store with its insertion sequence; guarded by the store's lock.</summary>
internal sealed class StoredOperation(long sequence, Operation operation)
{
    public long Sequence { get; } = sequence;

    public Operation Operation { get; set; } = operation;

    public bool Removed { get; set; }

    /// <summary>What CancelOperation does to this operation.</summary>
    public FakeCancelBehaviour CancelBehaviour { get; set; } = FakeCancelBehaviour.Immediate;

    /// <summary>The timer of a delayed cancel not yet due; null when none is pending.</summary>
    public ITimer? PendingCancel { get; set; }

    /// <summary>The timer that finishes a seeded count operation; null when none is pending.</summary>
    public ITimer? Completion { get; set; }

    // Created only when someone waits: thousands of seeded operations should cost no more than their protos.
    public TaskCompletionSource? Changed { get; set; }

    /// <summary>Stops the operation's pending timers (it was removed).</summary>
    public void DropTimers()
    {
        PendingCancel?.Dispose();
        PendingCancel = null;
        Completion?.Dispose();
        Completion = null;
    }

    public void SignalChanged()
    {
        Changed?.TrySetResult();
        Changed = null;
    }
}
