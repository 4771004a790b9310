namespace VaultGrpc.Testing;

/// <summary>What a <see cref="Fault"/> does to a call.</summary>
public enum FaultKind
{
    /// <summary>Answers a status with details instead of the real answer.</summary>
    Status,

    /// <summary>Delays the call, then serves it normally.</summary>
    Latency,

    /// <summary>Starts the response, then resets the HTTP/2 stream (on HTTP/1.1, aborts the connection).</summary>
    ResetStream,

    /// <summary>Starts the response, then aborts the whole connection.</summary>
    AbortConnection,

    /// <summary>A REST body that is malformed, empty, truncated or HTML.</summary>
    RestBody,

    /// <summary>RESOURCE_EXHAUSTED with a retry delay: HTTP 429 with <c>Retry-After</c> on REST, <c>RetryInfo</c> details on both.</summary>
    TooManyRequests,

    /// <summary>Never answers: holds the call until the client gives up (deadline or cancellation).</summary>
    Hang,
}
