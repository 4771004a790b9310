using System.Globalization;
using System.Text;

namespace VaultGrpc.Invokers.Rest;

/// <summary>
/// Percent-encoding of path variable values (google/api/http.proto): every UTF-8 byte outside
/// <c>[-_.~0-9A-Za-z]</c> is encoded, and so is <c>/</c> unless the variable spans several segments.
/// </summary>
internal static class PathEncoding
{
    /// <summary>Appends <paramref name="value"/> (already checked to be well-formed UTF-16) encoded.</summary>
    public static void Append(StringBuilder path, string value, bool keepSlash)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                path.Append(c);
                continue;
            }

            int charCount = char.IsHighSurrogate(c) && i + 1 < value.Length ? 2 : 1;
            int byteCount = Encoding.UTF8.GetBytes(value.AsSpan(i, charCount), utf8);
            i += charCount - 1;
            foreach (byte b in utf8[..byteCount])
            {
                path.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }
}
