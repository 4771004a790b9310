using System.Globalization;
using System.Text;

namespace VaultGrpc.Cli.Output;

/// <summary>
/// Makes text that vault-ops did not write itself (a server's messages, names and type URLs, file
/// contents, command-line values) safe to print. Every character a terminal acts on instead of
/// showing, or that cannot be seen, becomes a visible <c>\uXXXX</c>: controls (C0 with CR, LF, TAB
/// and ESC, so every escape sequence; DEL; C1 with NEL and CSI), line and paragraph separators
/// (U+2028, U+2029), format characters (bidi embeddings, overrides, isolates and marks, zero-width
/// characters, the BOM) and unpaired surrogates. The result never holds a line break, so one
/// printed value is one line, and what a server sends can neither forge a line nor move the cursor.
/// </summary>
/// <remarks>
/// The escape is JSON's own, so the same pass applied to a whole JSON line keeps it valid JSON
/// with the same meaning: outside strings a JSON line holds only ASCII, and inside a string a
/// character and its <c>\uXXXX</c> are the same value. Characters beyond U+FFFF are written as
/// their two surrogates, as JSON does. A backslash already in the text is left alone: the form is
/// meant to be read by people, not parsed back.
/// </remarks>
internal static class TerminalText
{
    /// <summary><paramref name="text"/> with every unsafe character escaped; the same instance when there is none.</summary>
    public static string Escape(string text)
    {
        int first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                char low = text[i + 1];
                if (IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, low))))
                {
                    AppendEscaped(builder, c);
                    AppendEscaped(builder, low);
                }
                else
                {
                    builder.Append(c).Append(low);
                }

                i++;
            }
            else if (IsUnsafe(c))
            {
                AppendEscaped(builder, c);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static int IndexOfUnsafe(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is >= ' ' and < '\u007f')
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1]))))
                {
                    return i;
                }

                i++;
            }
            else if (IsUnsafe(c))
            {
                return i;
            }
        }

        return -1;
    }

    // A lone surrogate reaches here as category Surrogate: it cannot be encoded, so it is shown too.
    private static bool IsUnsafe(char c) => IsUnsafe(char.GetUnicodeCategory(c));

    private static bool IsUnsafe(UnicodeCategory category) => category is
        UnicodeCategory.Control
        or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.Surrogate;

    private static void AppendEscaped(StringBuilder builder, char c) =>
        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
}
