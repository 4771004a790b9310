using System.Buffers;
using System.Globalization;
using System.Text;

namespace VaultGrpc.Internal.Naming;

/// <summary>
/// Checks operation names before any I/O and expands them into REST paths as google/api/http.proto
/// expands a multi-segment variable: slashes kept, every other byte outside
/// <c>[-_.~0-9A-Za-z]</c> percent-encoded from UTF-8.
/// </summary>
/// <remarks>
/// The rules exist because the path is built by string concatenation: <c>System.Uri</c> collapses
/// <c>.</c>/<c>..</c> segments (so <c>operations/../matters/x</c> would cancel <c>/v1/matters/x</c>),
/// and raw <c>?</c>, <c>#</c> or <c>%</c> would change what the server sees. Names that pass here
/// reach the server byte for byte. Characters a reader cannot see or tell apart (controls, format
/// characters, private use, noncharacters, U+FFFD: <see cref="InvisibleCharacters"/>) are refused
/// too, so that the name sent is the name a person reads in a log or a names file.
/// </remarks>
internal static class OperationNameRules
{
    /// <summary>The collection ListOperations is called on.</summary>
    public const string Collection = "operations";

    /// <summary>Longest name accepted, in UTF-16 code units; real names are far shorter.</summary>
    public const int MaxLength = 1024;

    private const string Prefix = Collection + "/";
    private const string PathPrefix = "/v1/";
    private const int QuotedLength = 60;

    /// <summary>Returns <paramref name="name"/> if it is a valid operation name, else throws naming the value and the rule.</summary>
    /// <exception cref="ArgumentException">The name breaks a rule; the message quotes it (shortened if long) and says which.</exception>
    public static string ValidateOperation(string? name, string paramName)
    {
        string? problem = FindProblem(name);
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid operation name {Quote(name)}: {problem}", paramName);
        }

        return name!;
    }

    /// <summary>The rule <paramref name="name"/> breaks, or null when it is a valid operation name.</summary>
    public static string? FindProblem(string? name)
    {
        if (name is null)
        {
            return "it is null.";
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return "it is empty or white space.";
        }

        // Checked before anything that walks the string, so a huge value costs little.
        if (name.Length > MaxLength)
        {
            return $"it is {name.Length} characters long; at most {MaxLength} are allowed.";
        }

        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            return "it starts or ends with white space.";
        }

        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return string.Equals(name, Collection, StringComparison.OrdinalIgnoreCase)
                ? "it is the collection itself; an operation name is 'operations/{id}'."
                : "it must start with 'operations/' (lower case).";
        }

        if (FindRejectedCharacter(name) is { } rejected)
        {
            return rejected;
        }

        int start = 0;
        while (start <= name.Length)
        {
            int end = name.IndexOf('/', start);
            if (end < 0)
            {
                end = name.Length;
            }

            ReadOnlySpan<char> segment = name.AsSpan(start, end - start);
            if (segment.IsEmpty)
            {
                return "it has an empty segment ('//' or a trailing '/').";
            }

            if (segment is "." or "..")
            {
                return $"it contains a '{segment}' segment, which URL normalization would collapse onto another resource.";
            }

            start = end + 1;
        }

        return null;
    }

    // Walks the name by code point: a character outside the BMP is judged as itself, not as two halves.
    private static string? FindRejectedCharacter(string name)
    {
        ReadOnlySpan<char> rest = name;
        int index = 0;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out Rune rune, out int used) != OperationStatus.Done)
            {
                return $"it contains an unpaired surrogate U+{(int)rest[0]:X4} at index {index}, which has no UTF-8 form.";
            }

            if (InvisibleCharacters.Describe(rune) is { } description)
            {
                return $"it contains {description} at index {index}.";
            }

            rest = rest[used..];
            index += used;
        }

        return null;
    }

    private static string Quote(string? name) => name switch
    {
        null => "(null)",
        { Length: > QuotedLength + 20 } => $"'{Escape(name.AsSpan(0, QuotedLength))}…' ({name.Length} characters)",
        _ => $"'{Escape(name)}'",
    };

    // Rejected characters are shown escaped so that the error message itself stays one clean,
    // well-formed, visible line whatever the name held.
    private static string Escape(ReadOnlySpan<char> value)
    {
        var builder = new StringBuilder(value.Length);
        while (!value.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(value, out Rune rune, out int used) != OperationStatus.Done)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)value[0]:X4}");
                used = 1;
            }
            else if (InvisibleCharacters.Describe(rune) is null)
            {
                builder.Append(value[..used]);
            }
            else if (rune.IsBmp)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\U{rune.Value:X8}");
            }

            value = value[used..];
        }

        return builder.ToString();
    }
}
