namespace VaultGrpc.Testing;

/// <summary>How the fake answers CancelOperation for one operation (see <see cref="FakeCancelBehaviour"/>).</summary>
public enum FakeCancelKind
{
    /// <summary>The operation becomes done with <c>CANCELLED</c> at once (the default).</summary>
    Immediate,

    /// <summary>The cancel is accepted; the operation becomes done with <c>CANCELLED</c> after a delay on the fake's clock.</summary>
    HonourAfterDelay,

    /// <summary>The operation completes with a response just before the cancel lands: the cancel is accepted and changes nothing.</summary>
    CompleteFirst,

    /// <summary>The operation fails with another error just before the cancel lands: the cancel is accepted and changes nothing.</summary>
    FailFirst,

    /// <summary>The cancel is accepted and ignored: the operation keeps running.</summary>
    Ignore,

    /// <summary>The server does not support cancel: <c>UNIMPLEMENTED</c> (HTTP 501 on REST) on every transport.</summary>
    Unsupported,
}
