using System.Buffers.Binary;

namespace VaultGrpc.Tests.GrpcCalls.Peers.Http2;

/// <summary>
/// The server side of one HTTP/2 connection, as far as the hostile peers need it: reads the
/// preface and every frame, records them in the <see cref="WireLog"/>, assembles requests from
/// HEADERS, CONTINUATION and DATA, and hands each frame and each complete request to the peer.
/// It answers nothing by itself: what goes back is the peer's choice.
/// </summary>
internal sealed class H2ServerConnection
{
    private readonly AcceptedConnection _connection;
    private readonly WireLog _log;
    private readonly HpackDecoder _decoder = new();
    private readonly Dictionary<int, OpenStream> _streams = [];
    private (int StreamId, bool EndStream, List<byte> Block)? _headerBlock;

    public H2ServerConnection(AcceptedConnection connection, WireLog log)
    {
        _connection = connection;
        _log = log;
        Writer = new H2FrameWriter(connection.Stream);
    }

    public H2FrameWriter Writer { get; }

    public AcceptedConnection Connection => _connection;

    /// <summary>Runs after the client's preface, before its first frame is read.</summary>
    public Func<H2ServerConnection, CancellationToken, Task>? AfterPreface { get; init; }

    /// <summary>Runs for every frame received, after it is recorded.</summary>
    public Func<H2ServerConnection, H2Frame, CancellationToken, Task>? OnFrame { get; init; }

    /// <summary>Runs for every request the client ended, with its ordinal across the peer (1 for the first).</summary>
    public Func<H2ServerConnection, ReceivedRequest, int, CancellationToken, Task>? OnRequest { get; init; }

    /// <summary>
    /// Set once the peer has said its last word on this connection (a GOAWAY, say): frames are
    /// still read and recorded, but neither <see cref="OnFrame"/> nor <see cref="OnRequest"/> runs again.
    /// </summary>
    public bool Finished { get; set; }

    /// <summary>Reads until the client closes; a client that does not send the preface is read to the end and ignored.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!await H2Wire.ReadPrefaceAsync(_connection.Stream, cancellationToken))
        {
            await DrainAsync(cancellationToken);
            return;
        }

        _log.RecordPreface();
        if (AfterPreface is not null)
        {
            await AfterPreface(this, cancellationToken);
        }

        while (await H2Wire.ReadFrameAsync(_connection.Stream, H2Frame.DefaultMaxPayload, cancellationToken) is { } frame)
        {
            _log.RecordFrame(frame);
            ReceivedRequest? complete = Assemble(frame);
            if (OnFrame is not null && !Finished)
            {
                await OnFrame(this, frame, cancellationToken);
            }

            if (complete is not null)
            {
                int ordinal = _log.RecordCompleteRequest(complete);
                if (OnRequest is not null && !Finished)
                {
                    await OnRequest(this, complete, ordinal, cancellationToken);
                }
            }
        }
    }

    /// <summary>Reads and discards until the client closes: what a peer does once it has decided to say nothing more.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16_384];
        int read;
        while ((read = await _connection.Stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            _log.RecordBytes(read);
        }
    }

    private ReceivedRequest? Assemble(H2Frame frame)
    {
        switch (frame.Type)
        {
            case H2FrameType.Headers:
                _headerBlock = (frame.StreamId, frame.Has(H2Frame.EndStream), [.. H2Wire.Content(frame)]);
                return frame.Has(H2Frame.EndHeaders) ? EndHeaderBlock() : null;
            case H2FrameType.Continuation when _headerBlock is { } pending && pending.StreamId == frame.StreamId:
                pending.Block.AddRange(frame.Payload);
                return frame.Has(H2Frame.EndHeaders) ? EndHeaderBlock() : null;
            case H2FrameType.Data when _streams.TryGetValue(frame.StreamId, out OpenStream? open):
                open.Body.AddRange(H2Wire.Content(frame));
                return frame.Has(H2Frame.EndStream) ? End(frame.StreamId) : null;
            case H2FrameType.RstStream:
                _log.RecordClientReset(frame.StreamId, (H2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(frame.Payload));
                _streams.Remove(frame.StreamId);
                return null;
            default:
                return null;
        }
    }

    private ReceivedRequest? EndHeaderBlock()
    {
        (int streamId, bool endStream, List<byte> block) = _headerBlock!.Value;
        _headerBlock = null;
        List<KeyValuePair<string, string>> fields = _decoder.Decode(block.ToArray());
        if (!_streams.ContainsKey(streamId))
        {
            // A second block on an open stream would be request trailers: gRPC clients send none.
            _streams[streamId] = new OpenStream(fields);
            _log.RecordRequestHeaders(new ReceivedRequest(_connection.Number, streamId, fields, [], endStream));
        }

        return endStream ? End(streamId) : null;
    }

    private ReceivedRequest End(int streamId)
    {
        OpenStream open = _streams[streamId];
        _streams.Remove(streamId);
        return new ReceivedRequest(_connection.Number, streamId, open.Headers, [.. open.Body], Complete: true);
    }

    private sealed record OpenStream(IReadOnlyList<KeyValuePair<string, string>> Headers)
    {
        public List<byte> Body { get; } = [];
    }
}
