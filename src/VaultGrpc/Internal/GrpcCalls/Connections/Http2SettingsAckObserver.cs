namespace VaultGrpc.Internal.GrpcCalls.Connections;

/// <summary>
/// One HTTP/2 connection's plaintext stream, passed through unchanged, whose incoming frames are
/// read (headers only, payloads skipped) until the server acknowledges our SETTINGS; then it only
/// passes bytes on. Reports to its <see cref="Http2ConnectionWatch"/> when the connection starts
/// working and when it ends (end of stream, a read error, or disposal).
/// </summary>
internal sealed class Http2SettingsAckObserver(Stream inner, Http2ConnectionWatch watch) : Stream
{
    private const int FrameHeaderLength = 9;
    private const byte SettingsFrameType = 0x4;
    private const byte AckFlag = 0x1;

    private readonly byte[] _header = new byte[FrameHeaderLength];
    private int _headerFilled;
    private long _payloadToSkip;
    private bool _sawFirstFrame;

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

        if (Volatile.Read(ref _state) != 0)
        {
            return;
        }

        // SocketsHttpHandler reads each connection from one loop, so this parser is never re-entered.
        while (!bytes.IsEmpty)
        {
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
            if (!_sawFirstFrame && type != SettingsFrameType)
            {
                // A server's connection preface starts with SETTINGS (RFC 9113 §3.4): this is not HTTP/2.
                Interlocked.Exchange(ref _state, 2);
                return;
            }

            _sawFirstFrame = true;
            if (type == SettingsFrameType && (flags & AckFlag) != 0)
            {
                if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
                {
                    watch.ConnectionStartedWorking();
                }

                return;
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
