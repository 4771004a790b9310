using Grpc.Core;

namespace VaultGrpc.Testing;

/// <summary>
/// One request the fake received. Added when the request arrives (so a test sees it as soon as its
/// call returns); the outcome is filled in when the fake answers.
/// </summary>
public sealed class JournalEntry
{
    private readonly object _gate = new();
    private int _httpStatus;
    private StatusCode? _status;
    private bool _completed;

    internal JournalEntry(long sequence)
    {
        Sequence = sequence;
        Timestamp = DateTimeOffset.UtcNow;
    }

    /// <summary>Order of arrival, from 1.</summary>
    public long Sequence { get; }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Which transport the request came over (by its content type: <c>application/grpc</c> is gRPC, whatever the path).</summary>
    public Transport Transport { get; internal init; }

    /// <summary>The RPC, or null when the request names none (another gRPC service, an unknown path).</summary>
    public OperationsMethod? Method { get; internal init; }

    /// <summary>The operation's name (for List, the collection) as the fake read it, decoded; null when unknown.</summary>
    public string? OperationName { get; internal set; }

    /// <summary>The HTTP method, e.g. <c>POST</c>.</summary>
    public string HttpMethod { get; internal init; } = string.Empty;

    /// <summary>The request target as sent, percent-encoding and query included.</summary>
    public string RawPath { get; internal init; } = string.Empty;

    /// <summary>Bytes in the request body.</summary>
    public long BodyLength { get; internal init; }

    /// <summary>
    /// For REST, what the body held: <see cref="RequestBodyShape.None"/> (no bytes), <see cref="RequestBodyShape.EmptyObject"/>
    /// (<c>{}</c>), <see cref="RequestBodyShape.Fields"/> or <see cref="RequestBodyShape.Other"/>; null for gRPC.
    /// </summary>
    public RequestBodyShape? BodyShape { get; internal init; }

    /// <summary>The request's <c>Content-Type</c>, or null.</summary>
    public string? ContentType { get; internal init; }

    /// <summary>Whether the request had an <c>Authorization</c> header (its value is never kept).</summary>
    public bool HasAuthorization { get; internal init; }

    /// <summary>The <c>x-goog-request-params</c> header, or null.</summary>
    public string? RequestParams { get; internal init; }

    /// <summary>The <c>x-goog-api-client</c> header, or null.</summary>
    public string? ApiClient { get; internal init; }

    /// <summary>The HTTP protocol, e.g. <c>HTTP/2</c>.</summary>
    public string Protocol { get; internal init; } = string.Empty;

    /// <summary>The fault applied to this request, or null.</summary>
    public FaultKind? Fault { get; internal set; }

    /// <summary>Whether the fake has answered (or dropped) the request.</summary>
    public bool Completed
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    /// <summary>The HTTP status the fake answered with; 0 while not answered or when the call was reset or aborted.</summary>
    public int HttpStatus
    {
        get
        {
            lock (_gate)
            {
                return _httpStatus;
            }
        }
    }

    /// <summary>
    /// The outcome as a gRPC code: the <c>grpc-status</c> on gRPC, the error's status on REST
    /// (<see cref="StatusCode.OK"/> for a success). Null while not answered, when the call was reset or
    /// aborted, or when the answer was not gRPC at all (a gateway page).
    /// </summary>
    public StatusCode? Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    internal void Complete(int httpStatus, StatusCode? status)
    {
        lock (_gate)
        {
            if (!_completed)
            {
                _completed = true;
                _httpStatus = httpStatus;
                _status = status;
            }
        }
    }

    /// <inheritdoc />
    public override string ToString()
        => $"#{Sequence} {Transport} {Method?.ToString() ?? "?"} {HttpMethod} {RawPath} {Protocol} -> {HttpStatus} {Status?.ToString() ?? "-"}{(Fault is null ? string.Empty : " fault=" + Fault)}";
}
