using VaultGrpc.Tests.GrpcCalls.Peers.Http2;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>
/// What a hostile peer received, counted where it arrived: connections, bytes, TLS ClientHellos,
/// HTTP/2 prefaces and frames by type, request HEADERS (with their :path) and complete requests
/// (END_STREAM seen). Tests read counts, or await a count with the Wait… methods. Thread-safe.
/// </summary>
internal sealed class WireLog
{
    private readonly object _gate = new();
    private readonly List<(Func<bool> Reached, TaskCompletionSource Done)> _waiters = [];
    private readonly Dictionary<H2FrameType, int> _frames = [];
    private readonly List<ReceivedRequest> _requestHeaders = [];
    private readonly List<ReceivedRequest> _completeRequests = [];
    private readonly List<(int StreamId, H2ErrorCode Error)> _clientResets = [];
    private readonly List<Exception> _peerFaults = [];
    private int _connectionsAccepted;
    private int _connectionsEnded;
    private long _bytesReceived;
    private int _tlsClientHellos;
    private int _prefaces;

    public int ConnectionsAccepted => Read(() => _connectionsAccepted);

    /// <summary>Connections whose serving ended: the client closed or reset it, or the peer closed it.</summary>
    public int ConnectionsEnded => Read(() => _connectionsEnded);

    public long BytesReceived => Read(() => _bytesReceived);

    /// <summary>Connections whose first bytes were a TLS handshake record (a ClientHello).</summary>
    public int TlsClientHellos => Read(() => _tlsClientHellos);

    /// <summary>Connections that began with the HTTP/2 client preface.</summary>
    public int Prefaces => Read(() => _prefaces);

    /// <summary>Request HEADERS blocks that opened a stream, in arrival order, each with its decoded fields.</summary>
    public IReadOnlyList<ReceivedRequest> RequestHeaders => Read(() => _requestHeaders.ToArray());

    /// <summary>Requests whose stream the client ended (END_STREAM on HEADERS or DATA), with their bodies.</summary>
    public IReadOnlyList<ReceivedRequest> CompleteRequests => Read(() => _completeRequests.ToArray());

    /// <summary>RST_STREAM frames the client sent, with their error codes.</summary>
    public IReadOnlyList<(int StreamId, H2ErrorCode Error)> ClientResets => Read(() => _clientResets.ToArray());

    /// <summary>Unexpected failures inside the peer itself (not the client hanging up): a self-test asserts none.</summary>
    public IReadOnlyList<Exception> PeerFaults => Read(() => _peerFaults.ToArray());

    public int Frames(H2FrameType type) => Read(() => _frames.GetValueOrDefault(type));

    public int RequestHeadersFor(string path) => Read(() => _requestHeaders.Count(r => r.Path == path));

    public int CompleteRequestsFor(string path) => Read(() => _completeRequests.Count(r => r.Path == path));

    public Task WaitForConnectionsAsync(int count = 1, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(() => _connectionsAccepted >= count, cancellationToken);

    public Task WaitForConnectionsEndedAsync(int count = 1, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(() => _connectionsEnded >= count, cancellationToken);

    public Task WaitForTlsClientHelloAsync(int count = 1, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(() => _tlsClientHellos >= count, cancellationToken);

    public Task WaitForFramesAsync(H2FrameType type, int count = 1, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(() => _frames.GetValueOrDefault(type) >= count, cancellationToken);

    /// <summary>Completes once <paramref name="count"/> request HEADERS (for <paramref name="path"/>, or any) have arrived.</summary>
    public Task WaitForRequestHeadersAsync(string? path = null, int count = 1, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(() => _requestHeaders.Count(r => path is null || r.Path == path) >= count, cancellationToken);

    /// <summary>Completes once <paramref name="count"/> complete requests (for <paramref name="path"/>, or any) have arrived.</summary>
    public Task WaitForRequestAsync(string? path = null, int count = 1, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(() => _completeRequests.Count(r => path is null || r.Path == path) >= count, cancellationToken);

    /// <summary>Numbers the connection: 1 for the first accepted.</summary>
    internal int RecordConnection() => Update(() => ++_connectionsAccepted);

    internal void RecordConnectionEnded() => Update(() => ++_connectionsEnded);

    internal void RecordBytes(int count) => Update(() => _bytesReceived += count);

    internal void RecordTlsClientHello() => Update(() => ++_tlsClientHellos);

    internal void RecordPreface() => Update(() =>
    {
        ++_prefaces;
        _bytesReceived += H2Wire.ClientPreface.Length;
    });

    internal void RecordFrame(H2Frame frame) => Update(() =>
    {
        _frames[frame.Type] = _frames.GetValueOrDefault(frame.Type) + 1;
        _bytesReceived += H2Wire.FrameHeaderLength + frame.Payload.Length;
    });

    internal void RecordRequestHeaders(ReceivedRequest request) => Update(() => _requestHeaders.Add(request));

    /// <summary>Records a complete request and returns its ordinal across the peer: 1 for the first.</summary>
    internal int RecordCompleteRequest(ReceivedRequest request) => Update(() =>
    {
        _completeRequests.Add(request);
        return _completeRequests.Count;
    });

    internal void RecordClientReset(int streamId, H2ErrorCode error) => Update(() => _clientResets.Add((streamId, error)));

    internal void RecordPeerFault(Exception fault) => Update(() => _peerFaults.Add(fault));

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private void Update(Action change) => Update(() =>
    {
        change();
        return 0;
    });

    private T Update<T>(Func<T> change)
    {
        T result;
        List<TaskCompletionSource> reached = [];
        lock (_gate)
        {
            result = change();
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Reached())
                {
                    reached.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        reached.ForEach(done => done.TrySetResult());
        return result;
    }

    private Task WaitUntilAsync(Func<bool> reached, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (reached())
            {
                return Task.CompletedTask;
            }

            _waiters.Add((reached, done));
        }

        return done.Task.WaitAsync(cancellationToken);
    }
}
