using System.Buffers;
using System.Text;
using Google.Protobuf.WellKnownTypes;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// Writes a body with each unknown <c>Any</c> (as found by <see cref="UnknownAnyScan"/>) wrapped as
/// <c>{"@type":"…/google.protobuf.Struct","value":{…}}</c>, the JSON the tree walk of
/// <see cref="UnknownAnyRewriter"/> would write, by copying bytes: no tree, one pooled buffer.
/// </summary>
internal static class UnknownAnySplice
{
    private static readonly byte[] Prefix = Encoding.UTF8.GetBytes("{\"@type\":\"type.googleapis.com/" + Struct.Descriptor.FullName + "\",\"value\":");
    private static readonly byte[] Suffix = "}"u8.ToArray();

    /// <summary>
    /// The text of <paramref name="utf8Json"/> with every range of <paramref name="unknownAnys"/>
    /// (in order, not overlapping, each a whole JSON object) wrapped.
    /// </summary>
    public static string Wrap(ReadOnlySpan<byte> utf8Json, IReadOnlyList<Range> unknownAnys)
    {
        int length = utf8Json.Length + (unknownAnys.Count * (Prefix.Length + Suffix.Length));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> output = buffer;
            int written = 0;
            int copied = 0;
            foreach (Range any in unknownAnys)
            {
                (int start, int anyLength) = any.GetOffsetAndLength(utf8Json.Length);
                Append(utf8Json[copied..start], output, ref written);
                Append(Prefix, output, ref written);
                Append(utf8Json.Slice(start, anyLength), output, ref written);
                Append(Suffix, output, ref written);
                copied = start + anyLength;
            }

            Append(utf8Json[copied..], output, ref written);

            // The wraps are ASCII and stand next to ASCII braces, so decoding the whole equals decoding
            // the body and wrapping the text: invalid UTF-8 becomes the same replacement characters.
            return Encoding.UTF8.GetString(buffer, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Append(ReadOnlySpan<byte> bytes, Span<byte> output, ref int written)
    {
        bytes.CopyTo(output[written..]);
        written += bytes.Length;
    }
}
