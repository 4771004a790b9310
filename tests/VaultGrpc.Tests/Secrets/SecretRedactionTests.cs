using VaultGrpc.Internal.Text;

namespace VaultGrpc.Tests.Secrets;

/// <summary>The library's one set of redaction rules, on the shapes a server's echo of a credential takes.</summary>
[Trait("Category", "Reliability")]
public sealed class SecretRedactionTests
{
    // Matches no credential shape: only the exact known-token rule can find it.
    private const string Sentinel = "SENTINELq7Zx3kP9w";

    // Each text holds one secret, "SECRETVALUE…" or the Sentinel, in a shape a server might echo it.
    public static TheoryData<string, string> Echoes => new()
    {
        { "bearer, in a sentence", "the header was Bearer SECRETVALUE1 and it was refused" },
        { "bearer, lower case", "authorization failed for bearer SECRETVALUE1." },
        { "bearer, URL-encoded space", "GET /?h=Bearer%20SECRETVALUE1" },
        { "bearer, form-encoded space", "h=Bearer+SECRETVALUE1" },
        { "bearer, JSON-escaped B", "{\"echo\":\"\\u0042earer SECRETVALUE1\"}" },
        { "bearer, JSON-escaped space", "{\"echo\":\"Bearer\\u0020SECRETVALUE1\"}" },
        { "bearer, HTML entity", "<p>Bearer&#32;SECRETVALUE1</p>" },
        { "bearer, tab", "Bearer\tSECRETVALUE1" },
        { "bearer, NUL", "Bearer\u0000SECRETVALUE1" },
        { "authorization header, HTTP/1.1 dump", "GET / HTTP/1.1\r\nAuthorization: Bearer SECRETVALUE1\r\nHost: x" },
        { "authorization header, lower-case HTTP/2", "authorization: SECRETVALUE1" },
        { "authorization header, JSON", "{\"headers\":{\"authorization\":[\"Bearer SECRETVALUE1\"]}}" },
        { "proxy-authorization header", "Proxy-Authorization: Basic dXNlcjpTRUNSRVRWQUxVRTE=" },
        { "basic credential", "sent Basic dXNlcjpTRUNSRVRWQUxVRTE= to the proxy" },
        { "access_token query", "https://x.example/cb?state=1&access_token=SECRETVALUE1&expires_in=3599" },
        { "access_token JSON", "{\"access_token\":\"SECRETVALUE1\",\"token_type\":\"Bearer\"}" },
        { "access_token JSON, spaced", "{ \"access_token\" : \"SECRETVALUE1\" }" },
        { "accessToken camel case", "{\"accessToken\":\"SECRETVALUE1\"}" },
        { "refresh_token", "refresh_token=SECRETVALUE1" },
        { "client_secret", "client_secret: SECRETVALUE1" },
        { "token field", "{\"token\":\"SECRETVALUE1\"}" },
        { "password field", "password=SECRETVALUE1" },
        { "Google access token", "token ya29.a0AfB_SECRETVALUE1-xyz is expired" },
        { "Google refresh token", "refresh with 1//0gSECRETVALUE1abcdefgh failed" },
        { "Google API key", "key AIzaSyASECRETVALUE1abcdefghijklmnopqrstu rejected" },
        { "JWT", "assertion eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJTRUNSRVRWQUxVRTEifQ.c2lnbmF0dXJl denied" },
        { "URL user:password", "proxy https://user:SECRETVALUE1@proxy.example:3128/ refused" },
        { "URL user only", "remote https://SECRETVALUE1@git.example/repo" },
        { "known token, bare", $"token {Sentinel} is not valid" },
        { "known token, cut at the end", $"the token was {Sentinel[..10]}" },
        { "known token, JSON-escaped", $"{{\"m\":\"\\u{(int)Sentinel[0]:x4}{Sentinel[1..]}\"}}" },
    };

    [Theory]
    [MemberData(nameof(Echoes))]
    public void Redact_EchoedSecret_Masked(string shape, string text)
    {
        string redacted = SecretRedaction.Redact(text, [Sentinel]);

        Assert.DoesNotContain("SECRETVALUE1", redacted, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Sentinel[..8], redacted, StringComparison.Ordinal);
        Assert.Contains(SecretRedaction.Mask, redacted, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(shape));
    }

    [Theory]
    [InlineData("Operation operations/export-1 not found.")]
    [InlineData("HTTP 503 Service Unavailable from the REST endpoint; body (text/html): \"<html> upstream </html>\"")]
    [InlineData("{\"nextPageToken\":\"abc\",\"operations\":[]}")]
    [InlineData("Basic checks failed for operations/a")]
    [InlineData("page_token=abcdef is stale")]
    [InlineData("Could not get an access token: HttpRequestException: metadata server unreachable")]
    [InlineData("Password: is required")]
    [InlineData("see https://vault.example/v1/operations/a@b and mailto:ops@vault.example")]
    [InlineData("100% done &amp; more \\n")]
    public void Redact_OrdinaryText_Unchanged(string text)
    {
        Assert.Same(text, SecretRedaction.Redact(text, [Sentinel]));
    }

    [Fact]
    public void Redact_EncodedLine_OnlyTheSecretChanges()
    {
        string line = "{\"name\":\"operations/a\",\"message\":\"\\u0042earer SECRETVALUE1 \\\"quoted\\\"\"}";

        string redacted = SecretRedaction.Redact(line);

        Assert.Equal("{\"name\":\"operations/a\",\"message\":\"\\u0042earer *** \\\"quoted\\\"\"}", redacted);
    }

    [Theory]
    [InlineData("Bearer%20")]
    [InlineData("authorization: ")]
    [InlineData("token=")]
    [InlineData("https://")]
    [InlineData("\\u0042")]
    [InlineData("&#66;")]
    public void Snippet_RepeatedRuleFragments_BoundedResult(string fragment)
    {
        string text = string.Concat(Enumerable.Repeat(fragment, 20_000 / fragment.Length));

        string snippet = ServerText.Snippet(text);

        Assert.InRange(snippet.Length, 1, ServerText.SnippetLength + 1);
    }

    [Fact]
    public void Redact_ShortKnownSecret_NotSearched()
    {
        Assert.Equal("a tiny abc", SecretRedaction.Redact("a tiny abc", ["abc"]));
    }
}
