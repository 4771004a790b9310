using System.Buffers;
using System.Globalization;
using System.Text;

namespace VaultGrpc.Internal.Text;

/// <summary>
/// The one way text a server supplied (an error message, a body, a reason phrase, a header) enters
/// an exception, a log or the CLI's output: secrets masked first, on the whole text; then control,
/// format and line-breaking characters neutralised into one line; then cut to length with an ellipsis.
/// In that order, so that neither a cut ("Bearer SENTI…") nor an escape hides a token from redaction,
/// and no escape sequence or line break reaches a terminal or a log.
/// </summary>
internal static class ServerText
{
    /// <summary>Length of a snippet of a body quoted in a message.</summary>
    public const int SnippetLength = 200;

    /// <summary>Length of a message a server gave (gRPC <c>grpc-message</c>, a JSON error's <c>message</c>).</summary>
    public const int MessageLength = 1024;

    /// <summary>Most characters looked at; redaction runs on all of them, whatever the snippet keeps.</summary>
    public const int MaxInputLength = 16 * 1024;

    /// <summary>The ellipsis that ends a text that was cut.</summary>
    public const char Ellipsis = '…';

    /// <summary>
    /// A safe one-line excerpt of <paramref name="text"/>: secrets masked (the
    /// <paramref name="knownSecrets"/> exactly, and every credential shape <see cref="SecretRedaction"/>
    /// knows), runs of white space, control and line-breaking characters turned into one space,
    /// format characters (bidi overrides, zero-width) and unpaired surrogates dropped or replaced,
    /// trimmed, and at most <paramref name="maxLength"/> characters plus an <see cref="Ellipsis"/> when cut.
    /// Empty for null or empty input.
    /// </summary>
    /// <param name="text">Raw text from a server, whole (never cut before this call).</param>
    /// <param name="maxLength">Longest result before the ellipsis; at least 1.</param>
    /// <param name="knownSecrets">The tokens the client holds (see <c>AccessTokenSource.KnownTokens</c>); may be null.</param>
    public static string Snippet(string? text, int maxLength = SnippetLength, IReadOnlyList<string>? knownSecrets = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        bool cut = text.Length > MaxInputLength;
        string input = cut ? text[..MaxInputLength] : text;
        string line = OneLineOf(SecretRedaction.Redact(input, knownSecrets));
        if (line.Length > maxLength)
        {
            int keep = char.IsHighSurrogate(line[maxLength - 1]) ? maxLength - 1 : maxLength;
            return line[..keep].TrimEnd() + Ellipsis;
        }

        return cut && line.Length > 0 ? line + Ellipsis : line;
    }

    /// <summary><see cref="Snippet"/> without a length limit beyond <see cref="MaxInputLength"/>.</summary>
    public static string OneLine(string? text, IReadOnlyList<string>? knownSecrets = null) =>
        Snippet(text, int.MaxValue, knownSecrets);

    /// <summary>
    /// Control (C0, C1, DEL), white space and line/paragraph separators become one space; format
    /// characters (U+200B, U+200E, U+202E, U+FEFF, U+00AD, …) are dropped; an unpaired surrogate
    /// becomes U+FFFD. Trimmed.
    /// </summary>
    private static string OneLineOf(string text)
    {
        var line = new StringBuilder(text.Length);
        bool pendingSpace = false;
        ReadOnlySpan<char> rest = text;
        while (!rest.IsEmpty)
        {
            OperationStatus status = Rune.DecodeFromUtf16(rest, out Rune rune, out int consumed);
            ReadOnlySpan<char> source = rest[..consumed];
            rest = rest[consumed..];
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator:
                    pendingSpace = line.Length > 0;
                    continue;
                case UnicodeCategory.Format:
                    continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = line.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                line.Append(' ');
                pendingSpace = false;
            }

            if (status == OperationStatus.Done)
            {
                line.Append(source);
            }
            else
            {
                line.Append('\uFFFD');
            }
        }

        return line.ToString();
    }
}
