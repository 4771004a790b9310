using Google.Protobuf;

namespace VaultGrpc.Testing;

/// <summary>
/// What the fake does when an operation is cancelled — the cases Vault's reference warns of (cancel is
/// best effort). Script one with <see cref="FakeOperationStore.ScriptCancel"/>.
/// </summary>
public sealed class FakeCancelBehaviour
{
    private FakeCancelBehaviour(FakeCancelKind kind, TimeSpan delay = default, IMessage? response = null, Google.Rpc.Status? error = null)
    {
        Kind = kind;
        Delay = delay;
        Response = response;
        Error = error;
    }

    /// <summary>Done with <c>CANCELLED</c> at once: what the fake does unless told otherwise.</summary>
    public static FakeCancelBehaviour Immediate { get; } = new(FakeCancelKind.Immediate);

    /// <summary>The cancel is accepted and ignored; the operation keeps running.</summary>
    public static FakeCancelBehaviour Ignore { get; } = new(FakeCancelKind.Ignore);

    /// <summary>The server does not support cancel: <c>UNIMPLEMENTED</c> on gRPC and REST alike.</summary>
    public static FakeCancelBehaviour Unsupported { get; } = new(FakeCancelKind.Unsupported);

    /// <summary>Which behaviour.</summary>
    public FakeCancelKind Kind { get; }

    /// <summary>For <see cref="FakeCancelKind.HonourAfterDelay"/>: how long after the cancel the operation ends, on the fake's clock.</summary>
    public TimeSpan Delay { get; }

    /// <summary>For <see cref="FakeCancelKind.CompleteFirst"/>: the response the operation completes with (null for <c>Empty</c>).</summary>
    public IMessage? Response { get; }

    /// <summary>For <see cref="FakeCancelKind.FailFirst"/>: the error the operation ends with.</summary>
    public Google.Rpc.Status? Error { get; }

    /// <summary>The cancel is accepted; <paramref name="delay"/> later on <see cref="FakeServerOptions.TimeProvider"/> the operation is done with <c>CANCELLED</c>.</summary>
    /// <param name="delay">Zero or more.</param>
    public static FakeCancelBehaviour HonourAfter(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new(FakeCancelKind.HonourAfterDelay, delay);
    }

    /// <summary>The operation completes with <paramref name="response"/> before the cancel lands.</summary>
    /// <param name="response">The response; null for <c>google.protobuf.Empty</c>.</param>
    public static FakeCancelBehaviour CompleteFirst(IMessage? response = null) => new(FakeCancelKind.CompleteFirst, response: response);

    /// <summary>The operation fails with <paramref name="error"/> before the cancel lands.</summary>
    /// <param name="error">Its error; not <c>CANCELLED</c>, or the case would not be told apart.</param>
    public static FakeCancelBehaviour FailFirst(Google.Rpc.Status error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(FakeCancelKind.FailFirst, error: error.Clone());
    }
}
