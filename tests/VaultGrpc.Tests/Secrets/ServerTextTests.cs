using VaultGrpc.Internal.Text;

namespace VaultGrpc.Tests.Secrets;

/// <summary>Server text made safe in order: redacted whole, then one line, then cut.</summary>
[Trait("Category", "Reliability")]
public sealed class ServerTextTests
{
    [Fact]
    public void Snippet_TokenStraddlingTheCut_RedactedBeforeCutting()
    {
        // "Bearer SENTINEL…" used to escape: the text was cut to 200 characters, then redacted.
        string text = new string('x', ServerText.SnippetLength - 10) + " Bearer SENTINELSENTINEL and more";

        string snippet = ServerText.Snippet(text);

        Assert.DoesNotContain("SENTI", snippet, StringComparison.Ordinal);
        Assert.EndsWith(ServerText.Ellipsis.ToString(), snippet, StringComparison.Ordinal);
        Assert.True(snippet.Length <= ServerText.SnippetLength + 1, snippet);
    }

    [Fact]
    public void Snippet_KnownTokenFarBeyondTheSnippet_NeverShownEvenWhenWhiteSpaceCollapses()
    {
        const string token = "tok3n-far-away-0123456789";
        string text = "lead" + new string(' ', 5000) + token;

        string snippet = ServerText.Snippet(text, knownSecrets: [token]);

        Assert.Equal("lead ***", snippet);
    }

    [Theory]
    [InlineData("line1\r\nFAKE LINE", "line1 FAKE LINE")]
    [InlineData("\u001b[31mred\u001b[0m", "[31mred [0m")]
    [InlineData("a\u0085b\u2028c\u2029d", "a b c d")]
    [InlineData("left\u202Eright\u200B\uFEFF\u00AD!", "leftright!")]
    [InlineData("\t\v\f  padded  \u00A0", "padded")]
    [InlineData("del\u007Fhere", "del here")]
    public void Snippet_ControlAndFormatCharacters_OneCleanLine(string text, string expected)
    {
        Assert.Equal(expected, ServerText.Snippet(text));
    }

    [Fact]
    public void Snippet_UnpairedSurrogate_Replaced()
    {
        // Not theory data: xunit's serialisation of test cases would replace it before the test ran.
        Assert.Equal("bad \uFFFD surrogate", ServerText.Snippet("bad \uD800 surrogate"));
    }

    [Fact]
    public void Snippet_CutBeforeASurrogatePair_KeepsThePairWhole()
    {
        string text = new string('a', 9) + "\U0001F600" + "tail";

        string snippet = ServerText.Snippet(text, maxLength: 10);

        Assert.Equal(new string('a', 9) + ServerText.Ellipsis, snippet);
    }

    [Fact]
    public void Snippet_NullOrEmpty_Empty()
    {
        Assert.Equal(string.Empty, ServerText.Snippet(null));
        Assert.Equal(string.Empty, ServerText.Snippet(string.Empty));
    }
}
