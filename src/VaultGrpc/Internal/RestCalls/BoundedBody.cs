namespace VaultGrpc.Internal.RestCalls;

/// <summary>At most a set number of bytes of a response body, and whether there were more.</summary>
internal readonly struct BoundedBody
{
    private readonly byte[] _buffer;

    private BoundedBody(byte[] buffer, int length, bool truncated)
    {
        _buffer = buffer;
        Length = length;
        Truncated = truncated;
    }

    /// <summary>How many bytes were kept.</summary>
    public int Length { get; }

    /// <summary>True when the body was longer than the limit (only the first bytes were kept).</summary>
    public bool Truncated { get; }

    /// <summary>The kept bytes, without a leading UTF-8 byte order mark (JSON parsers refuse one; RFC 8259 §8.1 lets a reader ignore it).</summary>
    public ReadOnlySpan<byte> Span
    {
        get
        {
            ReadOnlySpan<byte> bytes = _buffer.AsSpan(0, Length);
            return bytes.StartsWith(Utf8ByteOrderMark) ? bytes[Utf8ByteOrderMark.Length..] : bytes;
        }
    }

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Reads up to <paramref name="limit"/> bytes, decoded when the answer is compressed
    /// (<see cref="ContentDecoding"/>; a decoding failure is an <see cref="InvalidDataException"/>). A declared Content-Length over the limit reads
    /// nothing when <paramref name="readPrefixWhenTooLong"/> is false: such a body is refused anyway.
    /// </summary>
    public static async Task<BoundedBody> ReadAsync(HttpContent content, int limit, bool readPrefixWhenTooLong, CancellationToken cancellationToken)
    {
        // An encoded body's declared length is the compressed one: the limit applies to what it decodes to.
        IReadOnlyList<string>? codings = ContentDecoding.CodingsOf(content);
        long? declared = codings is null ? content.Headers.ContentLength : null;
        if (declared > limit && !readPrefixWhenTooLong)
        {
            return new BoundedBody([], 0, truncated: true);
        }

        int capacity = declared is long known && known <= limit ? (int)known + 1 : Math.Min(limit + 1, 16 * 1024);
        byte[] buffer = new byte[Math.Max(capacity, 1)];
        int total = 0;
        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (codings is not null)
        {
            stream = ContentDecoding.Decode(codings, stream);
        }

        await using (stream.ConfigureAwait(false))
        {
            // One byte past the limit tells "exactly the limit" from "longer".
            while (total <= limit)
            {
                if (total == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit + 1L));
                }

                int read = await stream.ReadAsync(buffer.AsMemory(total, buffer.Length - total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }

        return total > limit
            ? new BoundedBody(buffer, limit, truncated: true)
            : new BoundedBody(buffer, total, truncated: false);
    }
}
