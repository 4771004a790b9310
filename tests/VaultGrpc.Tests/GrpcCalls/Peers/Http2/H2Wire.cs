using System.Buffers.Binary;
using System.Text;

namespace VaultGrpc.Tests.GrpcCalls.Peers.Http2;

/// <summary>Reads the client connection preface and HTTP/2 frames from a stream.</summary>
internal static class H2Wire
{
    /// <summary>What every HTTP/2 client sends first (RFC 9113 §3.4).</summary>
    public static readonly byte[] ClientPreface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    public const int FrameHeaderLength = 9;

    /// <summary>
    /// Reads as many bytes as the preface has; true when they are the preface, false when they are
    /// something else (an HTTP/1.1 request, a TLS ClientHello) or the client closed first.
    /// </summary>
    public static async Task<bool> ReadPrefaceAsync(Stream stream, CancellationToken cancellationToken)
    {
        var received = new byte[ClientPreface.Length];
        int read = await stream.ReadAtLeastAsync(received, received.Length, throwOnEndOfStream: false, cancellationToken);
        return read == received.Length && received.AsSpan().SequenceEqual(ClientPreface);
    }

    /// <summary>The next frame, or null when the client closed the connection between frames.</summary>
    /// <exception cref="InvalidDataException">The frame is larger than <paramref name="maxPayload"/>.</exception>
    public static async Task<H2Frame?> ReadFrameAsync(Stream stream, int maxPayload, CancellationToken cancellationToken)
    {
        var header = new byte[FrameHeaderLength];
        int read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        if (read < header.Length)
        {
            return null;
        }

        int length = (header[0] << 16) | (header[1] << 8) | header[2];
        if (length > maxPayload)
        {
            throw new InvalidDataException($"A {length}-byte frame exceeds SETTINGS_MAX_FRAME_SIZE {maxPayload}.");
        }

        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        int streamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7fff_ffff);
        return new H2Frame((H2FrameType)header[3], header[4], streamId, payload);
    }

    /// <summary>The payload without the pad length, padding and priority block that DATA and HEADERS may carry.</summary>
    public static ReadOnlySpan<byte> Content(H2Frame frame)
    {
        ReadOnlySpan<byte> payload = frame.Payload;
        int padding = 0;
        if (frame.Has(H2Frame.Padded) && frame.Type is H2FrameType.Data or H2FrameType.Headers)
        {
            padding = payload[0];
            payload = payload[1..];
        }

        if (frame.Has(H2Frame.PriorityFlag) && frame.Type == H2FrameType.Headers)
        {
            payload = payload[5..];
        }

        return payload[..^padding];
    }
}
