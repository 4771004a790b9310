using Google.Protobuf;
using Grpc.Core;
using VaultGrpc.Testing.Internal;

namespace VaultGrpc.Testing;

/// <summary>Something that goes wrong with a call; give it to <see cref="FaultScript.Add"/> to choose which calls.</summary>
public abstract class Fault
{
    private protected Fault(FaultKind kind) => Kind = kind;

    /// <summary>What the fault does.</summary>
    public FaultKind Kind { get; }

    /// <summary>Answers <paramref name="code"/> with <paramref name="message"/> and <c>google.rpc</c> details, on either transport.</summary>
    /// <param name="code">The status code.</param>
    /// <param name="message">The message.</param>
    /// <param name="details">Details such as <c>Google.Rpc.ErrorInfo</c>; <c>grpc-status-details-bin</c> on gRPC, <c>details</c> in REST JSON.</param>
    public static Fault Status(StatusCode code, string message, params IMessage[] details)
    {
        if (code == StatusCode.OK)
        {
            throw new ArgumentException("A status fault needs an error code, not OK.", nameof(code));
        }

        return new StatusFault(FakeErrors.CreateStatus(code, message, details));
    }

    /// <summary>Delays the call by <paramref name="delay"/>, then serves it.</summary>
    /// <param name="delay">The added latency.</param>
    public static Fault Latency(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new LatencyFault(delay);
    }

    /// <summary>Sends the response headers, then resets the HTTP/2 stream (aborts the connection on HTTP/1.1).</summary>
    /// <param name="http2ErrorCode">The RST_STREAM code. Default 2, INTERNAL_ERROR; 7 (REFUSED_STREAM) and 8 (CANCEL) are common too.</param>
    public static Fault ResetStream(int http2ErrorCode = 2) => new ResetFault(FaultKind.ResetStream, http2ErrorCode);

    /// <summary>Sends the response headers, then aborts the connection.</summary>
    public static Fault AbortConnection() => new ResetFault(FaultKind.AbortConnection, 0);

    /// <summary>A broken REST body; applies to REST calls only.</summary>
    /// <param name="kind">How it is broken.</param>
    /// <param name="httpStatus">The HTTP status sent with it. Default 200.</param>
    public static Fault RestBody(RestBodyKind kind, int httpStatus = 200) => new RestBodyFault(kind, httpStatus);

    /// <summary>RESOURCE_EXHAUSTED with a <c>google.rpc.RetryInfo</c> of <paramref name="retryAfter"/>; on REST, HTTP 429 with <c>Retry-After</c> in whole seconds.</summary>
    /// <param name="retryAfter">The delay the client is asked to wait.</param>
    public static Fault TooManyRequests(TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        return new TooManyRequestsFault(retryAfter);
    }

    /// <summary>Holds the call without answering until the client gives up (its deadline or cancellation) or the fake stops.</summary>
    public static Fault Hang() => new HangFault();

    /// <inheritdoc />
    public override string ToString() => Kind.ToString();

    internal virtual bool AppliesTo(Transport transport) => true;

    /// <summary>Acts on the call; true when the fault answered (or dropped) it, false to serve it normally.</summary>
    internal abstract Task<bool> ApplyAsync(FakeCall call);
}
