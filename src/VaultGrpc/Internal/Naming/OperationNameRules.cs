using System.Text;

namespace VaultGrpc.Internal.Naming;

/// <summary>
/// Checks operation names before any I/O and expands them into REST paths as google/api/http.proto
/// expands a multi-segment variable: slashes kept, every other byte outside
/// <c>[-_.~0-9A-Za-z]</c> percent-encoded from UTF-8.
/// </summary>
internal static class OperationNameRules
{
    /// <summary>The collection ListOperations is called on.</summary>
    public const string Collection = "operations";

    /// <summary>Longest name accepted, in UTF-16 code units; real names are far shorter.</summary>
    public const int MaxLength = 1024;

    private const string Prefix = "operations/";

    /// <summary>Returns <paramref name="name"/> if it is a valid operation name, else throws naming the value and the rule.</summary>
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

        if (name.Length > MaxLength)
        {
            return $"it is {name.Length} characters long; at most {MaxLength} are allowed.";
        }

        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return "it must start with 'operations/'.";
        }

        foreach (char c in name)
        {
            if (char.IsControl(c))
            {
                return $"it contains the control character U+{(int)c:X4}.";
            }
        }

        foreach (string segment in name.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "it has an empty segment ('//' or a trailing '/').";
            }

            if (segment is "." or "..")
            {
                return $"it contains a '{segment}' segment, which URL normalization would collapse onto another resource.";
            }
        }

        if (!IsWellFormedUtf16(name))
        {
            return "it contains an unpaired surrogate, which has no UTF-8 form.";
        }

        return null;
    }

    /// <summary>The REST path of a validated name: <c>/v1/</c> and the name, percent-encoded except for <c>/</c>.</summary>
    public static string ToRestPath(string validName)
    {
        var path = new StringBuilder(4 + validName.Length + 16).Append("/v1/");
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < validName.Length; i++)
        {
            char c = validName[i];
            if (IsUnreserved(c) || c == '/')
            {
                path.Append(c);
                continue;
            }

            int length = char.IsHighSurrogate(c)
                ? Encoding.UTF8.GetBytes(validName.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(validName.AsSpan(i, 1), utf8);
            foreach (byte b in utf8[..length])
            {
                path.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return path.ToString();
    }

    private static bool IsUnreserved(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~';

    private static bool IsWellFormedUtf16(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Quote(string? name) => name switch
    {
        null => "(null)",
        { Length: > 80 } => $"'{Escape(name[..60])}…' ({name.Length} characters)",
        _ => $"'{Escape(name)}'",
    };

    // Control characters are shown escaped so that the error message itself stays one clean line.
    private static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return builder.ToString();
    }
}
