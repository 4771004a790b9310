using System.Globalization;
using System.Text;

namespace VaultGrpc.Internal.Naming;

/// <summary>
/// Percent-encoding of path variable values (google/api/http.proto): every UTF-8 byte outside
/// <c>[-_.~0-9A-Za-z]</c> is encoded, and so is <c>/</c> unless the variable spans several segments.
/// One encoder for the facade's operation paths and the REST invoker's path templates.
/// </summary>
internal static class PathEncoding
{
    /// <summary>Appends <paramref name="value"/> (already checked to be well-formed UTF-16) encoded.</summary>
    public static void Append(StringBuilder path, string value, bool keepSlash) => Append(path, value, 0, keepSlash);

    /// <summary>Appends <paramref name="value"/> from <paramref name="start"/> on, encoded.</summary>
    public static void Append(StringBuilder path, string value, int start, bool keepSlash)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = start; i < value.Length; i++)
        {
            char c = value[i];
            if (IsKept(c, keepSlash))
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

    /// <summary>Whether <paramref name="c"/> goes into a path as it is.</summary>
    public static bool IsKept(char c, bool keepSlash) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/');
}
