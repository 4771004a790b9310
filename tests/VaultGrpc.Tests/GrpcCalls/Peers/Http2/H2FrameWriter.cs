using System.Buffers.Binary;

namespace VaultGrpc.Tests.GrpcCalls.Peers.Http2;

/// <summary>
/// Writes HTTP/2 frames to one connection, one frame at a time: a header block split into
/// HEADERS + CONTINUATION must never be interleaved with another frame.
/// </summary>
internal sealed class H2FrameWriter(Stream stream)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>A SETTINGS frame with no parameters: every default of RFC 9113 §6.5.2 stands.</summary>
    public Task SendSettingsAsync(CancellationToken cancellationToken) =>
        SendAsync(new H2Frame(H2FrameType.Settings, 0, 0, []), cancellationToken);

    public Task SendSettingsAckAsync(CancellationToken cancellationToken) =>
        SendAsync(new H2Frame(H2FrameType.Settings, H2Frame.Ack, 0, []), cancellationToken);

    public Task SendPingAckAsync(byte[] opaqueData, CancellationToken cancellationToken) =>
        SendAsync(new H2Frame(H2FrameType.Ping, H2Frame.Ack, 0, opaqueData), cancellationToken);

    public Task SendWindowUpdateAsync(int streamId, int increment, CancellationToken cancellationToken)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)increment);
        return SendAsync(new H2Frame(H2FrameType.WindowUpdate, 0, streamId, payload), cancellationToken);
    }

    public Task SendRstStreamAsync(int streamId, H2ErrorCode error, CancellationToken cancellationToken)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)error);
        return SendAsync(new H2Frame(H2FrameType.RstStream, 0, streamId, payload), cancellationToken);
    }

    public Task SendGoAwayAsync(int lastStreamId, H2ErrorCode error, CancellationToken cancellationToken)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)lastStreamId);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), (uint)error);
        return SendAsync(new H2Frame(H2FrameType.GoAway, 0, 0, payload), cancellationToken);
    }

    /// <summary>A header block as HEADERS, then as many CONTINUATION frames as the default frame size needs.</summary>
    public async Task SendHeadersAsync(int streamId, byte[] headerBlock, bool endStream, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            int offset = 0;
            bool first = true;
            do
            {
                int length = Math.Min(H2Frame.DefaultMaxPayload, headerBlock.Length - offset);
                bool last = offset + length == headerBlock.Length;
                byte flags = (byte)((last ? H2Frame.EndHeaders : 0) | (first && endStream ? H2Frame.EndStream : 0));
                var frame = new H2Frame(first ? H2FrameType.Headers : H2FrameType.Continuation, flags, streamId, headerBlock[offset..(offset + length)]);
                await WriteAsync(frame, cancellationToken);
                offset += length;
                first = false;
            }
            while (offset < headerBlock.Length);

            await stream.FlushAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task SendDataAsync(int streamId, byte[] data, bool endStream, CancellationToken cancellationToken) =>
        SendAsync(new H2Frame(H2FrameType.Data, endStream ? H2Frame.EndStream : (byte)0, streamId, data), cancellationToken);

    public async Task SendAsync(H2Frame frame, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await WriteAsync(frame, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WriteAsync(H2Frame frame, CancellationToken cancellationToken)
    {
        var bytes = new byte[H2Wire.FrameHeaderLength + frame.Payload.Length];
        bytes[0] = (byte)(frame.Payload.Length >> 16);
        bytes[1] = (byte)(frame.Payload.Length >> 8);
        bytes[2] = (byte)frame.Payload.Length;
        bytes[3] = (byte)frame.Type;
        bytes[4] = frame.Flags;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5), (uint)frame.StreamId);
        frame.Payload.CopyTo(bytes, H2Wire.FrameHeaderLength);
        await stream.WriteAsync(bytes, cancellationToken);
    }
}
