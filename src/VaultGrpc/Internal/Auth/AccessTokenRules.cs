using System.Globalization;
using System.Text;

namespace VaultGrpc.Internal.Auth;

/// <summary>
/// What an access token must be to go into an <c>Authorization: Bearer</c> header unchanged on both
/// transports: printable ASCII (U+0021–U+007E) without quotes or backslashes, not empty. A token
/// with a line break, a space or a non-ASCII character would otherwise be refused by one transport
/// and not the other, or be read as "gRPC is not served". Problems are described by position and
/// character class, never by showing the token.
/// </summary>
internal static class AccessTokenRules
{
    /// <summary>The rule, in words.</summary>
    public const string Rule = "An access token must be printable ASCII without spaces, quotes or backslashes.";

    /// <summary>What is wrong with <paramref name="token"/>, or null when it can be sent.</summary>
    public static string? Problem(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return "it is empty";
        }

        int first = -1;
        int count = 0;
        for (int i = 0; i < token.Length; i++)
        {
            if (!IsAllowed(token[i]))
            {
                first = first < 0 ? i : first;
                count++;
            }
        }

        if (first < 0)
        {
            return null;
        }

        Rune.DecodeFromUtf16(token.AsSpan(first), out Rune rune, out _);
        string more = count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (and {count - 1} more character(s) that are not allowed)") : string.Empty;
        string hint = token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? "; give the token alone, without \"Bearer \"" : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"it has {Describe(token[first], rune)} at character {first + 1} of {token.Length}{more}{hint}");
    }

    /// <summary>Throws when <paramref name="token"/> cannot be sent; the message names the problem, never the token.</summary>
    /// <exception cref="ArgumentException">The token is empty or has a character that is not allowed.</exception>
    public static void ThrowIfInvalid(string token, string paramName)
    {
        ArgumentNullException.ThrowIfNull(token, paramName);
        if (Problem(token) is { } problem)
        {
            throw new ArgumentException($"The access token cannot be sent: {problem}. {Rule}", paramName);
        }
    }

    private static bool IsAllowed(char c) => c is > ' ' and < '\x7F' and not '"' and not '\'' and not '\\';

    private static string Describe(char c, Rune rune)
    {
        string code = string.Create(CultureInfo.InvariantCulture, $"U+{rune.Value:X4}");
        return c switch
        {
            '\r' => $"a carriage return ({code}, a control character)",
            '\n' => $"a line feed ({code}, a control character)",
            '\t' => $"a tab ({code}, a control character)",
            '\x7F' => $"a DEL ({code}, a control character)",
            < ' ' => $"a control character ({code})",
            ' ' => $"a space ({code})",
            '"' => $"a double quote ({code})",
            '\'' => $"a single quote ({code})",
            '\\' => $"a backslash ({code})",
            _ when char.IsSurrogate(c) && rune == Rune.ReplacementChar => $"an unpaired surrogate ({string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}")}, not ASCII)",
            _ when Rune.IsWhiteSpace(rune) => $"a non-ASCII space ({code})",
            _ when Rune.IsControl(rune) => $"a non-ASCII control character ({code})",
            _ => $"a non-ASCII character ({code})",
        };
    }
}
