using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// Keeps integers exact through Google.Protobuf's JsonParser, which reads every JSON number as a
/// <see cref="double"/>: <c>9007199254740993</c> (2^53 + 1) in an <c>int64</c> field would come back
/// as <c>9007199254740992</c>, and <c>9223372036854775807</c> would fail as out of range. Proto3
/// JSON accepts an integer as a number or as a string, and the parser reads a string exactly
/// (<see cref="long.Parse(string, NumberStyles, IFormatProvider)"/>), so every number token a
/// double would misread as an integer is turned into a string token of the same text, before parsing.
/// </summary>
/// <remarks>
/// <para>A number is quoted when, read as a double, it is a finite integer of magnitude up to 2^64
/// (the reach of every integer field) and either its magnitude is at least 2^53 or its text is not
/// an integer at all (<c>1.0000000000000000001</c>, which a double reads as 1). Then an
/// <c>int64</c>/<c>uint64</c> field gets the exact value, or fails loudly when the text is out of
/// range or has a fraction; an <c>int32</c> field fails as it did; a <c>double</c> field gets the
/// same double as before.</para>
/// <para>Untouched: integers below 2^53 (a double holds them exactly, <c>1e3</c> included), numbers
/// with a fraction a double keeps (<c>1.5</c>: an integer field still refuses it), and numbers beyond
/// 2^64 (every integer field refuses them as out of range; a double field keeps them).</para>
/// <para>The one visible change: inside an <c>Any</c> of a type the client does not know (carried as
/// a <c>google.protobuf.Struct</c>) or a <c>Value</c>, such a number arrives as a string of its exact
/// digits rather than as a rounded double: a Struct has no integers, and proto3 JSON writes 64-bit
/// integers as strings anyway.</para>
/// </remarks>
internal static class ExactIntegers
{
    private const double TwoToThe53 = 9007199254740992d;
    private const double TwoToThe64 = 18446744073709551616d;

    // An exponent this far from zero already makes the value 0 or infinite as a double.
    private const int ExponentCap = 1_000_000;

    /// <summary>
    /// True, with the rewritten body in <paramref name="quoted"/>, when <paramref name="utf8Json"/>
    /// holds a number that must be quoted; false when there is none or the body is not JSON no deeper
    /// than <paramref name="maxDepth"/> (the parser then judges it as it always did).
    /// </summary>
    public static bool TryQuote(ReadOnlySpan<byte> utf8Json, int maxDepth, [NotNullWhen(true)] out byte[]? quoted)
    {
        quoted = null;
        List<Range>? numbers = null;
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.Number && MustQuote(reader.ValueSpan))
                {
                    int start = checked((int)reader.TokenStartIndex);
                    (numbers ??= []).Add(new Range(start, start + reader.ValueSpan.Length));
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (numbers is null)
        {
            return false;
        }

        quoted = Quote(utf8Json, numbers);
        return true;
    }

    /// <summary>Whether the number token <paramref name="literal"/> (JSON number syntax) must travel as a string to stay exact.</summary>
    public static bool MustQuote(ReadOnlySpan<byte> literal)
    {
        if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            || !double.IsFinite(value)
            || !double.IsInteger(value))
        {
            // Not an integer even as a double: integer fields refuse it, other fields take the double.
            return false;
        }

        double magnitude = Math.Abs(value);
        if (magnitude > TwoToThe64)
        {
            return false;
        }

        return magnitude >= TwoToThe53 || !IsIntegerText(literal);
    }

    // Exact decimal arithmetic on the text: is sign? int ('.' frac)? (e|E sign? exp)? an integer?
    private static bool IsIntegerText(ReadOnlySpan<byte> literal)
    {
        ReadOnlySpan<byte> digits = literal[0] == (byte)'-' ? literal[1..] : literal;
        int exponentAt = digits.IndexOfAny((byte)'e', (byte)'E');
        int exponent = exponentAt < 0 ? 0 : ParseExponent(digits[(exponentAt + 1)..]);
        ReadOnlySpan<byte> mantissa = exponentAt < 0 ? digits : digits[..exponentAt];
        int dot = mantissa.IndexOf((byte)'.');
        ReadOnlySpan<byte> integerPart = dot < 0 ? mantissa : mantissa[..dot];
        ReadOnlySpan<byte> fraction = dot < 0 ? [] : mantissa[(dot + 1)..].TrimEnd((byte)'0');

        if (!fraction.IsEmpty)
        {
            // int.frac × 10^exp is an integer when the exponent moves every fraction digit left of the point.
            return exponent >= fraction.Length;
        }

        ReadOnlySpan<byte> significant = integerPart.TrimEnd((byte)'0');
        int trailingZeros = integerPart.Length - significant.Length;
        return significant.IsEmpty || exponent >= -trailingZeros;
    }

    private static int ParseExponent(ReadOnlySpan<byte> text)
    {
        bool negative = text[0] == (byte)'-';
        ReadOnlySpan<byte> digits = text[0] is (byte)'-' or (byte)'+' ? text[1..] : text;
        int exponent = 0;
        foreach (byte digit in digits)
        {
            exponent = Math.Min((exponent * 10) + (digit - '0'), ExponentCap);
        }

        return negative ? -exponent : exponent;
    }

    // The body with a '"' before and after each number range (number text needs no escaping in a string).
    private static byte[] Quote(ReadOnlySpan<byte> utf8Json, List<Range> numbers)
    {
        byte[] output = new byte[utf8Json.Length + (2 * numbers.Count)];
        int written = 0;
        int copied = 0;
        foreach (Range number in numbers)
        {
            (int start, int length) = number.GetOffsetAndLength(utf8Json.Length);
            utf8Json[copied..start].CopyTo(output.AsSpan(written));
            written += start - copied;
            output[written++] = (byte)'"';
            utf8Json.Slice(start, length).CopyTo(output.AsSpan(written));
            written += length;
            output[written++] = (byte)'"';
            copied = start + length;
        }

        utf8Json[copied..].CopyTo(output.AsSpan(written));
        return output;
    }
}
