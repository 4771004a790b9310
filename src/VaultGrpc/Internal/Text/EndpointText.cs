namespace VaultGrpc.Internal.Text;

/// <summary>
/// Endpoints as messages may show them: user information (<c>user:password@</c>) masked, the
/// password always, a lone user name too (it is often a token: <c>https://TOKEN@host</c>).
/// </summary>
internal static class EndpointText
{
    /// <summary>Whether <paramref name="endpoint"/> carries user information.</summary>
    public static bool HasUserInfo(Uri endpoint) =>
        endpoint.IsAbsoluteUri ? endpoint.UserInfo.Length > 0 : endpoint.OriginalString.Contains('@', StringComparison.Ordinal);

    /// <summary><paramref name="endpoint"/> as text, with its user information masked: <c>https://user:***@host/</c>, <c>https://***@host/</c>.</summary>
    public static string Masked(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri)
        {
            return Masked(endpoint.OriginalString);
        }

        if (endpoint.UserInfo.Length == 0)
        {
            return endpoint.ToString();
        }

        string rest = endpoint.GetComponents(UriComponents.Host | UriComponents.Port | UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped);
        return $"{endpoint.Scheme}://{MaskedUserInfo(endpoint.UserInfo)}@{rest}";
    }

    /// <summary>
    /// Text meant as an endpoint, whether or not it parses, with anything before the last <c>@</c>
    /// of its authority masked (after the scheme, if there is one).
    /// </summary>
    public static string Masked(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        int authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int authorityEnd = text.AsSpan(authorityStart).IndexOfAny("/?#\\");
        authorityEnd = authorityEnd < 0 ? text.Length : authorityStart + authorityEnd;
        if (authorityEnd <= authorityStart)
        {
            return text;
        }

        int at = text.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        if (at < 0)
        {
            return text;
        }

        // Without a scheme the text may be "user:password@host" or anything else: mask it all.
        string userInfo = schemeEnd < 0 ? SecretRedaction.Mask : MaskedUserInfo(text[authorityStart..at]);
        return string.Concat(text.AsSpan(0, authorityStart), userInfo, text.AsSpan(at));
    }

    private static string MaskedUserInfo(string userInfo)
    {
        int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? SecretRedaction.Mask : userInfo[..colon] + ":" + SecretRedaction.Mask;
    }
}
