using VaultGrpc.Internal.Naming;

namespace VaultGrpc.Invokers.Rest;

/// <summary>
/// One <c>{field.path=pattern}</c> of a path template: which request field fills it, and the
/// segments its value must match (<c>*</c> when no pattern is written).
/// </summary>
internal sealed class PathVariable
{
    /// <summary>Longest value accepted for a path variable, in UTF-16 code units.</summary>
    public const int MaxValueLength = 4096;

    private const int QuotedLength = 60;

    private readonly string[] _pattern;

    // Where "**" stands in the pattern (always last), or -1.
    private readonly int _anyRestFrom;

    private PathVariable(string fieldPath, string[] pattern)
    {
        FieldPath = fieldPath;
        _pattern = pattern;
        _anyRestFrom = Array.IndexOf(pattern, "**");
        IsMultiSegment = pattern.Length > 1 || pattern[0] == "**";
    }

    /// <summary>The dotted proto field path, e.g. <c>name</c> or <c>parent.id</c>.</summary>
    public string FieldPath { get; }

    /// <summary>
    /// True when the value may span several segments (a pattern with <c>/</c> or <c>**</c>): its
    /// <c>/</c> stay; otherwise a value is one segment and a <c>/</c> in it is percent-encoded.
    /// </summary>
    public bool IsMultiSegment { get; }

    /// <summary>Parses the text between <c>{</c> and <c>}</c>.</summary>
    public static PathVariable Parse(string text, string template)
    {
        int equals = text.IndexOf('=');
        string fieldPath = equals < 0 ? text : text[..equals];
        string[] pattern = equals < 0 ? ["*"] : text[(equals + 1)..].Split('/');
        if (fieldPath.Length == 0 || fieldPath.Split('.').Any(name => name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw new FormatException($"The path template '{template}' has an invalid field path '{fieldPath}'.");
        }

        for (int i = 0; i < pattern.Length; i++)
        {
            string segment = pattern[i];
            if (segment.Length == 0 || segment.IndexOfAny(['{', '}', '=', ':']) >= 0 || (segment == "**" && i != pattern.Length - 1))
            {
                throw new FormatException($"The path template '{template}' has an invalid pattern in variable '{fieldPath}'.");
            }
        }

        return new PathVariable(fieldPath, pattern);
    }

    /// <summary>Throws unless <paramref name="value"/> fills this variable without changing the path around it.</summary>
    /// <exception cref="ArgumentException">The value is empty, has empty, <c>.</c> or <c>..</c> segments, invisible or control characters, or does not match the pattern.</exception>
    public void Validate(string value)
    {
        if (FindProblem(value) is { } problem)
        {
            throw new ArgumentException($"The request field '{FieldPath}' cannot fill the path: its value {Quote(value)} {problem}", FieldPath);
        }
    }

    private string? FindProblem(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "is empty or white space.";
        }

        if (value.Length > MaxValueLength)
        {
            return $"is {value.Length} characters long; at most {MaxValueLength} are allowed.";
        }

        if (FindRejectedCharacter(value) is { } rejected)
        {
            return rejected;
        }

        // A single-segment value keeps its '/' as %2F, so only the whole value is a segment. Walked
        // in place (names are checked on every call): empty and dot segments are reported first.
        ReadOnlySpan<char> rest = value;
        int count = 0;
        bool matches = true;
        while (true)
        {
            int slash = IsMultiSegment ? rest.IndexOf('/') : -1;
            ReadOnlySpan<char> segment = slash < 0 ? rest : rest[..slash];
            if (segment.IsEmpty)
            {
                return "has an empty segment ('//', or a leading or trailing '/').";
            }

            if (segment is "." or "..")
            {
                return $"has a '{segment}' segment, which URL normalization would collapse onto another resource.";
            }

            matches &= SegmentMatches(count, segment);
            count++;
            if (slash < 0)
            {
                break;
            }

            rest = rest[(slash + 1)..];
        }

        return matches && CountMatches(count) ? null : $"does not match the route's pattern '{string.Join('/', _pattern)}'.";
    }

    // Whether segment number `index` of a value fits the pattern ("**", last if present, takes every segment from its place on).
    private bool SegmentMatches(int index, ReadOnlySpan<char> segment)
    {
        if (_anyRestFrom >= 0 && index >= _anyRestFrom)
        {
            return true;
        }

        if (index >= _pattern.Length)
        {
            return false;
        }

        string expected = _pattern[index];
        return expected == "*" || segment.SequenceEqual(expected);
    }

    // Whether a value of `count` segments has as many as the pattern asks: "**" wants at least one.
    private bool CountMatches(int count) =>
        _anyRestFrom >= 0 ? count > _anyRestFrom : count == _pattern.Length;

    private static string? FindRejectedCharacter(string value)
    {
        ReadOnlySpan<char> rest = value;
        int index = 0;
        while (!rest.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf16(rest, out System.Text.Rune rune, out int used) != System.Buffers.OperationStatus.Done)
            {
                return $"has an unpaired surrogate at index {index}, which has no UTF-8 form.";
            }

            if (InvisibleCharacters.Describe(rune) is { } description)
            {
                return $"has {description} at index {index}.";
            }

            rest = rest[used..];
            index += used;
        }

        return null;
    }

    // Quoted with every character that is not plain ASCII shown as an escape, so the message stays one visible line.
    private static string Quote(string value)
    {
        string shown = value.Length > QuotedLength + 20 ? value[..QuotedLength] : value;
        var builder = new System.Text.StringBuilder(shown.Length + 2).Append('\'');
        foreach (char c in shown)
        {
            if (c is >= ' ' and <= '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        builder.Append('\'');
        return shown.Length < value.Length ? builder.Append($"… ({value.Length} characters)").ToString() : builder.ToString();
    }
}
