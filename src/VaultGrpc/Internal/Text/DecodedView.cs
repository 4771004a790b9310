using System.Globalization;
using System.Text;

namespace VaultGrpc.Internal.Text;

/// <summary>
/// A text with its escapes decoded (JSON/JavaScript <c>\uXXXX</c> and <c>\"</c>, URL <c>%XX</c>,
/// HTML <c>&amp;#NN;</c> and a few named entities), remembering where each decoded character came
/// from. Redaction looks for secrets in this view too, so that <c>\u0042earer …</c> or
/// <c>Bearer%20…</c> is found, and masks the original characters behind a match: everything
/// else stays exactly as it was (a JSON line stays valid JSON).
/// </summary>
internal sealed class DecodedView
{
    // Only these named HTML entities: the ones an echo of a header or JSON text would carry.
    private static readonly (string Name, char Value)[] NamedEntities =
    [
        ("&quot;", '"'), ("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&apos;", '\''), ("&nbsp;", '\u00A0'),
    ];

    private readonly int[] _starts;

    private DecodedView(string text, int[] starts)
    {
        Text = text;
        _starts = starts;
    }

    /// <summary>The decoded text.</summary>
    public string Text { get; }

    /// <summary>A view of <paramref name="original"/>, or null when it has nothing that could be an escape.</summary>
    public static DecodedView? TryCreate(string original)
    {
        if (original.AsSpan().IndexOfAny('\\', '%', '&') < 0)
        {
            return null;
        }

        var text = new StringBuilder(original.Length);
        var starts = new List<int>(original.Length + 1);
        int i = 0;
        while (i < original.Length)
        {
            starts.Add(i);
            (char decoded, int consumed) = DecodeAt(original, i);
            text.Append(decoded);
            i += consumed;
        }

        starts.Add(original.Length);
        return new DecodedView(text.ToString(), [.. starts]);
    }

    /// <summary>The characters of the original text behind the decoded characters [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public (int Start, int End) ToOriginal(int start, int end) => (_starts[start], _starts[end]);

    private static (char Decoded, int Consumed) DecodeAt(string s, int i)
    {
        char c = s[i];
        switch (c)
        {
            case '\\' when i + 1 < s.Length:
                char next = s[i + 1];
                if (next is 'u' or 'U' && TryHex(s, i + 2, 4, out int unit))
                {
                    return ((char)unit, 6);
                }

                return next switch
                {
                    '"' or '\\' or '/' or '\'' => (next, 2),
                    'n' => ('\n', 2),
                    'r' => ('\r', 2),
                    't' => ('\t', 2),
                    'b' => ('\b', 2),
                    'f' => ('\f', 2),
                    _ => (c, 1),
                };
            case '%' when TryHex(s, i + 1, 2, out int octet) && octet < 0x80:
                return ((char)octet, 3);
            case '&':
                return DecodeEntity(s, i);
            default:
                return (c, 1);
        }
    }

    private static (char Decoded, int Consumed) DecodeEntity(string s, int i)
    {
        if (i + 3 < s.Length && s[i + 1] == '#')
        {
            bool hex = s[i + 2] is 'x' or 'X';
            int digitsStart = i + (hex ? 3 : 2);
            int semicolon = s.IndexOf(';', digitsStart, Math.Min(8, s.Length - digitsStart));
            if (semicolon > digitsStart
                && int.TryParse(
                    s.AsSpan(digitsStart, semicolon - digitsStart),
                    hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None,
                    CultureInfo.InvariantCulture,
                    out int code)
                && code <= char.MaxValue)
            {
                return ((char)code, semicolon - i + 1);
            }
        }

        foreach ((string name, char value) in NamedEntities)
        {
            if (string.CompareOrdinal(s, i, name, 0, name.Length) == 0)
            {
                return (value, name.Length);
            }
        }

        return ('&', 1);
    }

    private static bool TryHex(string s, int start, int length, out int value)
    {
        value = 0;
        return start + length <= s.Length
            && int.TryParse(s.AsSpan(start, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
