using VaultGrpc.Internal.Text;

namespace VaultGrpc;

/// <summary>
/// The redaction the client applies to every text it reports (server messages, exception texts,
/// endpoints), for applications that show such text themselves: a log line, a terminal, a report.
/// </summary>
public static class VaultSafeText
{
    /// <summary>
    /// <paramref name="text"/> with every credential shape the client knows masked: bearer and basic
    /// authorization values, OAuth access and refresh tokens, API keys, JWTs, URL user information
    /// and secret-named query parameters; and every value of <paramref name="knownSecrets"/> exactly,
    /// also behind JSON or percent escapes. Masks read <c>***</c>. Empty for null.
    /// </summary>
    /// <param name="text">Any text.</param>
    /// <param name="knownSecrets">Exact values to mask wherever they appear (your own tokens); may be null.</param>
    public static string Redact(string? text, IReadOnlyList<string>? knownSecrets = null) => SecretRedaction.Redact(text, knownSecrets);

    /// <summary>
    /// <paramref name="text"/> redacted as <see cref="Redact"/> does, on one line (control and
    /// line-breaking characters become a space, invisible format characters are dropped), and cut
    /// to <paramref name="maxLength"/> characters with an ellipsis. Empty for null.
    /// </summary>
    /// <param name="text">Any text, typically from a server.</param>
    /// <param name="maxLength">The longest result before the ellipsis; at least 1.</param>
    public static string OneLine(string? text, int maxLength = int.MaxValue) => ServerText.Snippet(text, maxLength);

    /// <summary>The endpoint as it may be shown: any user information (<c>user:password@</c>) masked.</summary>
    /// <param name="endpoint">An absolute URI.</param>
    public static string MaskEndpoint(Uri endpoint) => EndpointText.Masked(endpoint);

    /// <summary>The endpoint text as it may be shown, whether or not it parses as a URI: any user information masked.</summary>
    /// <param name="endpoint">Text meant as a URL; may be null.</param>
    public static string MaskEndpoint(string? endpoint) => EndpointText.Masked(endpoint);
}
