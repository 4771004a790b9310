using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace VaultGrpc.Internal.Text;

/// <summary>
/// Masks secrets in text with <see cref="Mask"/>, leaving every other character as it was: the
/// exact tokens the client holds, and what looks like a credential whoever it belongs to —
/// <c>Bearer</c>/<c>Basic</c> credentials, <c>Authorization:</c> header values, Google access and
/// refresh tokens, API keys and JWTs, <c>access_token=</c>/<c>"access_token":"…"</c> and similar
/// fields, and the password (or lone user name) in a URL's user information. Secrets hidden by
/// JSON, URL or HTML escapes are found too (see <see cref="DecodedView"/>).
/// </summary>
/// <remarks>
/// This catches honest echoes: a proxy's error page quoting the request's headers, a server's
/// message quoting the token it rejected. A server that means to smuggle a token out in some
/// encoding of its own cannot be stopped by any redaction. Over-redaction (masking a word after
/// "Bearer") is the accepted price. Run it on the whole text, before any truncation: a cut can
/// split a token and hide it from every rule.
/// </remarks>
internal static partial class SecretRedaction
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>Known secrets shorter than this are not searched for (they would mask ordinary words).</summary>
    public const int MinimumKnownSecretLength = 4;

    // An echo of a known secret cut off at the very end of a text (a bounded read) is masked when
    // at least this much of it is there.
    private const int MinimumCutSecretLength = 8;

    // Longer base64 after "Basic" is masked without decoding it.
    private const int MaxBasicCredentialLength = 1024;

    // Every rule's match contains one of these: a text with none (most lines) skips the regex.
    private static readonly SearchValues<string> RuleAnchors = SearchValues.Create(
        ["bearer", "basic", "authorization", "token", "secret", "key", "passw", "pwd", "assertion", "ya29.", "1//0", "aiza", "eyj"],
        StringComparison.OrdinalIgnoreCase);

    private const string Separator = @"(?:[\s\p{Cc}]|%20|\+)";
    private const string CredentialChars = @"[^\s\p{Cc}""'\\]";
    private const string ValueChars = @"[^\s\p{Cc}""'\\&,;}\]]";

    /// <summary><paramref name="text"/> with every secret replaced by <see cref="Mask"/>.</summary>
    /// <param name="text">Any text; null gives the empty string.</param>
    /// <param name="knownSecrets">Exact values to mask wherever they appear (the client's tokens); may be null.</param>
    public static string Redact(string? text, IReadOnlyList<string>? knownSecrets = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var ranges = new List<(int Start, int End)>();
        try
        {
            AddKnownSecrets(text, knownSecrets, view: null, ranges);
            AddPatterns(text, view: null, ranges);
            AddUrlUserInfo(text, view: null, ranges);
            if (DecodedView.TryCreate(text) is { } view)
            {
                AddKnownSecrets(view.Text, knownSecrets, view, ranges);
                AddPatterns(view.Text, view, ranges);
                AddUrlUserInfo(view.Text, view, ranges);
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // Fail closed: a text the rules cannot get through is not shown at all.
            return Mask;
        }

        return ranges.Count == 0 ? text : Apply(text, ranges);
    }

    /// <summary>Whether <see cref="Redact"/> would mask anything in <paramref name="text"/>.</summary>
    public static bool ContainsSecret(string? text, IReadOnlyList<string>? knownSecrets = null) =>
        !string.IsNullOrEmpty(text) && !ReferenceEquals(Redact(text, knownSecrets), text);

    // One pass of every rule; each alternative puts what must go into a group named "secret"
    // (or "basic", kept only when it decodes as user:password). Compound field names
    // (access_token) are taken with ':' or '='; plain words (token, password) only as "token=" or a
    // quoted key ("token":), as "token: …" is also prose ("could not get an access token: …").
    [GeneratedRegex(
        $$"""
        \bbearer(?:{{Separator}}|:)+(?<secret>{{CredentialChars}}+)
        | \bbasic{{Separator}}+(?<basic>[A-Za-z0-9+/_-]{4,}={0,2})
        | \b(?:proxy-)?authorization["']?[\s\p{Cc}]*[:=][\s\p{Cc}"'\[]*(?<secret>(?:[A-Za-z][A-Za-z0-9_-]*{{Separator}}+)?{{CredentialChars}}+)
        | (?<![A-Za-z0-9])(?:(?:access|refresh|id|auth|session)[_-]?token|client[_-]?secret|api[_-]?key)
          ["']?[\s\p{Cc}]*[:=][\s\p{Cc}"'\[]*(?<secret>{{ValueChars}}+)
        | (?<![A-Za-z0-9_-])(?:token|passw(?:or)?d|pwd|secret|assertion)
          (?:=|["'][\s\p{Cc}]*:)[\s\p{Cc}"'\[]*(?<secret>{{ValueChars}}+)
        | (?<secret>ya29\.[A-Za-z0-9._~+/=-]+)
        | (?<![A-Za-z0-9])(?<secret>1//0[A-Za-z0-9_-]{10,})
        | (?<secret>AIza[A-Za-z0-9_-]{30,})
        | (?<secret>eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*)
        """,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture,
        matchTimeoutMilliseconds: 2000)]
    private static partial Regex Rules();

    private static void AddPatterns(string text, DecodedView? view, List<(int Start, int End)> ranges)
    {
        if (!text.AsSpan().ContainsAny(RuleAnchors))
        {
            return;
        }

        foreach (Match match in Rules().Matches(text))
        {
            Group secret = match.Groups["secret"];
            if (secret.Success && secret.Length > 0)
            {
                Add(ranges, view, secret.Index, secret.Index + secret.Length);
                continue;
            }

            Group basic = match.Groups["basic"];
            if (basic.Success && IsBasicCredential(basic.ValueSpan))
            {
                Add(ranges, view, basic.Index, basic.Index + basic.Length);
            }
        }
    }

    // scheme://user:password@host masks the password, scheme://user@host the user (often a token).
    // Found from each "://" rather than by the rules' regex, whose scan would retry every word.
    private static void AddUrlUserInfo(string text, DecodedView? view, List<(int Start, int End)> ranges)
    {
        for (int marker = text.IndexOf("://", StringComparison.Ordinal); marker >= 0; marker = text.IndexOf("://", marker + 3, StringComparison.Ordinal))
        {
            int start = marker + 3;
            int end = start;
            while (end < text.Length && !EndsUserInfo(text[end]))
            {
                end++;
            }

            int length = end - start;
            if (length == 0 || end == text.Length || text[end] != '@')
            {
                continue;
            }

            ReadOnlySpan<char> userInfo = text.AsSpan(start, length);
            int colon = userInfo.IndexOf(':');
            if (colon < 0)
            {
                Add(ranges, view, start, start + length);
            }
            else if (colon + 1 < length)
            {
                Add(ranges, view, start + colon + 1, start + length);
            }
        }
    }

    private static bool EndsUserInfo(char c) =>
        c is '@' or '/' or '?' or '#' or '\\' or '"' or '\'' or '<' or '>' || char.IsWhiteSpace(c) || char.IsControl(c);

    // "Basic" is an ordinary word too: mask what follows only when it is base64 of "user:password".
    private static bool IsBasicCredential(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length > MaxBasicCredentialLength)
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[MaxBasicCredentialLength];
        string standard = candidate.ToString().Replace('-', '+').Replace('_', '/');
        string padded = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        return Convert.TryFromBase64String(padded, bytes, out int written) && bytes[..written].Contains((byte)':');
    }

    private static void AddKnownSecrets(string text, IReadOnlyList<string>? secrets, DecodedView? view, List<(int Start, int End)> ranges)
    {
        if (secrets is null)
        {
            return;
        }

        foreach (string secret in secrets)
        {
            if (secret is null || secret.Length < MinimumKnownSecretLength)
            {
                continue;
            }

            for (int at = text.IndexOf(secret, StringComparison.Ordinal); at >= 0; at = text.IndexOf(secret, at + secret.Length, StringComparison.Ordinal))
            {
                Add(ranges, view, at, at + secret.Length);
            }

            AddCutSecret(text, secret, view, ranges);
        }
    }

    // The text ends with the first part of the secret (a read or a truncation cut it).
    private static void AddCutSecret(string text, string secret, DecodedView? view, List<(int Start, int End)> ranges)
    {
        if (secret.Length <= MinimumCutSecretLength)
        {
            return;
        }

        int windowStart = Math.Max(0, text.Length - (secret.Length - 1));
        ReadOnlySpan<char> head = secret.AsSpan(0, MinimumCutSecretLength);
        ReadOnlySpan<char> window = text.AsSpan(windowStart);
        for (int at = window.IndexOf(head, StringComparison.Ordinal); at >= 0;)
        {
            ReadOnlySpan<char> tail = window[at..];
            if (secret.AsSpan().StartsWith(tail, StringComparison.Ordinal))
            {
                Add(ranges, view, windowStart + at, text.Length);
                return;
            }

            int next = window[(at + 1)..].IndexOf(head, StringComparison.Ordinal);
            at = next < 0 ? -1 : at + 1 + next;
        }
    }

    private static void Add(List<(int Start, int End)> ranges, DecodedView? view, int start, int end) =>
        ranges.Add(view is null ? (start, end) : view.ToOriginal(start, end));

    private static string Apply(string text, List<(int Start, int End)> ranges)
    {
        ranges.Sort();
        var result = new StringBuilder(text.Length);
        int copied = 0;
        bool masking = false;
        foreach ((int start, int end) in ranges)
        {
            if (masking && start <= copied)
            {
                // Overlaps or touches the previous mask, which now reaches this range's end too.
                copied = Math.Max(copied, end);
                continue;
            }

            result.Append(text, copied, start - copied).Append(Mask);
            copied = end;
            masking = true;
        }

        return result.Append(text, copied, text.Length - copied).ToString();
    }
}
