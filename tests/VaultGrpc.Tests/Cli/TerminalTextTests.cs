using VaultGrpc.Cli.Output;

namespace VaultGrpc.Tests.Cli;

[Trait("Category", "Reliability")]
public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("a\nb", "a\\u000Ab")]
    [InlineData("a\r\nb", "a\\u000D\\u000Ab")]
    [InlineData("\u001b[31mred", "\\u001B[31mred")]
    [InlineData("nul\0", "nul\\u0000")]
    [InlineData("del\u007f c1\u009b nel\u0085", "del\\u007F c1\\u009B nel\\u0085")]
    [InlineData("ls\u2028ps\u2029", "ls\\u2028ps\\u2029")]
    [InlineData("\u202eevil\u202c \u2066iso\u2069 \u200emark", "\\u202Eevil\\u202C \\u2066iso\\u2069 \\u200Emark")]
    [InlineData("zero\u200bwidth\ufeff", "zero\\u200Bwidth\\uFEFF")]
    [InlineData("tab\t", "tab\\u0009")]
    public void Escape_UnsafeCharacters_BecomeVisibleEscapes(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Escape(text));
    }

    [Theory]
    [InlineData("operations/plain ASCII, with \\backslash")]
    [InlineData("Größe – 日本語 – emoji \U0001F600")]
    public void Escape_PrintableText_ReturnedAsIs(string text)
    {
        Assert.Same(text, TerminalText.Escape(text));
    }

    [Fact]
    public void Escape_UnpairedSurrogatesAndAstralFormatCharacter_Escaped()
    {
        // U+E0001 (a tag character) is a format character beyond U+FFFF: escaped as its two surrogates.
        string escaped = TerminalText.Escape("lone\ud800 high, lone\udc00 low, tag\U000E0001");

        Assert.Equal("lone\\uD800 high, lone\\uDC00 low, tag\\uDB40\\uDC01", escaped);
    }

    [Fact]
    public void Escape_AppliedToAJsonLine_KeepsTheSameJsonValue()
    {
        const string value = "ok\u202e\u2066\u0085\u2028 done";
        string line = System.Text.Json.JsonSerializer.Serialize(new { message = value }, new System.Text.Json.JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });

        string escaped = TerminalText.Escape(line);

        Assert.Equal(value, System.Text.Json.JsonDocument.Parse(escaped).RootElement.GetProperty("message").GetString());
        Assert.DoesNotContain('\u202e', escaped);
    }
}
