namespace VaultGrpc.Internal.GrpcCalls.Connections;

/// <summary>
/// One HTTP/2 connection's plaintext stream, passed through unchanged, whose incoming frame headers
/// are read (payloads skipped). Reports to its <see cref="Http2ConnectionWatch"/> when the server
/// acknowledges our SETTINGS (the connection works) and when it ends: end of stream, a read error,
/// disposal, or a GOAWAY (it then takes no new streams).
/// </summary>
internal sealed class Http2SettingsAckObserver(Stream inner, Http2ConnectionWatch watch) : Stream
{
    private const int FrameHeaderLength = 9;
    private const byte SettingsFrameType = 0x4;
    private const byte GoAwayFrameType = 0x7;
    private const int GoAwayFixedPayload = 8;
    private const byte AckFlag = 0x1;

    private readonly byte[] _header = new byte[FrameHeaderLength];
    private int _headerFilled;
    private long _payloadToSkip;
    private bool _sawFirstFrame;
    private readonly byte[] _goAway = new byte[GoAwayFixedPayload];
    private int _goAwayFilled = -1;

    // 0 watching, 1 working (counted by the watch), 2 ended or given up.
    private int _state;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    // Pooled: this runs for every read of the connection's whole life.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            End();
            throw;
        }

        Observe(buffer.Span[..read], endOfStream: read == 0 && !buffer.IsEmpty);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch
        {
            End();
            throw;
        }

        Observe(buffer[..read], endOfStream: read == 0 && !buffer.IsEmpty);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        End();
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            End();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // SocketsHttpHandler also reads into empty buffers, to wait for data without renting one: only
    // a read of nothing into room for something is the end of the stream.
    private void Observe(ReadOnlySpan<byte> bytes, bool endOfStream)
    {
        if (endOfStream)
        {
            End();
            return;
        }

        if (Volatile.Read(ref _state) == 2)
        {
            return;
        }

        // SocketsHttpHandler reads each connection from one loop, so this parser is never re-entered.
        while (!bytes.IsEmpty)
        {
            if (_goAwayFilled >= 0)
            {
                // A GOAWAY before the acknowledgement: keep its last-stream-id and error code.
                int part = Math.Min(GoAwayFixedPayload - _goAwayFilled, bytes.Length);
                bytes[..part].CopyTo(_goAway.AsSpan(_goAwayFilled));
                _goAwayFilled += part;
                _payloadToSkip -= part;
                bytes = bytes[part..];
                if (_goAwayFilled == GoAwayFixedPayload)
                {
                    _goAwayFilled = -1;
                    long code = (uint)((_goAway[4] << 24) | (_goAway[5] << 16) | (_goAway[6] << 8) | _goAway[7]);
                    watch.HandshakeFailed(new Http2HandshakeFailure($"the server sent GOAWAY (HTTP/2 error code 0x{code:x}) before acknowledging our HTTP/2 settings", code));
                }

                continue;
            }

            if (_payloadToSkip > 0)
            {
                int skip = (int)Math.Min(_payloadToSkip, bytes.Length);
                _payloadToSkip -= skip;
                bytes = bytes[skip..];
                continue;
            }

            int take = Math.Min(FrameHeaderLength - _headerFilled, bytes.Length);
            bytes[..take].CopyTo(_header.AsSpan(_headerFilled));
            _headerFilled += take;
            bytes = bytes[take..];
            if (_headerFilled < FrameHeaderLength)
            {
                return;
            }

            _headerFilled = 0;
            _payloadToSkip = (_header[0] << 16) | (_header[1] << 8) | _header[2];
            byte type = _header[3];
            byte flags = _header[4];
            if (!_sawFirstFrame && type is not (SettingsFrameType or GoAwayFrameType))
            {
                // A server's connection preface starts with SETTINGS (RFC 9113 §3.4), unless it refuses
                // the connection at once with GOAWAY (Kestrel's HTTP/1.1-only endpoint): this is not HTTP/2.
                bool http1 = _header.AsSpan().StartsWith("HTTP/"u8);
                watch.HandshakeFailed(new Http2HandshakeFailure(
                    http1 ? "the server answered in HTTP/1.x: it does not speak HTTP/2 here" : "the server's first bytes were not an HTTP/2 SETTINGS frame",
                    Http2HandshakeFailure.ProtocolError));
                Interlocked.Exchange(ref _state, 2);
                return;
            }

            if (type == GoAwayFrameType && Volatile.Read(ref _state) == 1)
            {
                // A working connection told to go away takes no new streams: it no longer counts,
                // so the next calls get the budget again while a new connection is made.
                End();
                return;
            }

            if (type == GoAwayFrameType && _payloadToSkip >= GoAwayFixedPayload)
            {
                _goAwayFilled = 0;
                continue;
            }

            _sawFirstFrame = true;
            if (type == SettingsFrameType && (flags & AckFlag) != 0)
            {
                if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
                {
                    watch.ConnectionStartedWorking();
                }
            }
        }
    }

    private void End()
    {
        if (Interlocked.Exchange(ref _state, 2) == 1)
        {
            watch.WorkingConnectionEnded();
        }
    }
}
