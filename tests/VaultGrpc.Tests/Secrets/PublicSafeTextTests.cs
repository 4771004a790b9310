namespace VaultGrpc.Tests.Secrets;

/// <summary>The published redaction helpers mask what the client masks in its own reports.</summary>
public sealed class PublicSafeTextTests
{
    private const string Token = "ya29.a0AfH6SMBexampleexampleexample";

    [Fact]
    public void Redact_BearerHeaderInText_MasksTheToken()
    {
        string shown = VaultSafeText.Redact($"proxy said: Authorization: Bearer {Token} is not allowed");

        Assert.DoesNotContain(Token, shown, StringComparison.Ordinal);
        Assert.Contains("***", shown, StringComparison.Ordinal);
        Assert.StartsWith("proxy said:", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_KnownSecretBehindJsonEscape_Masked()
    {
        const string Secret = "plain-looking-secret/1";
        string shown = VaultSafeText.Redact("{\"echo\":\"plain-looking-secret\\/1\"}", [Secret]);

        Assert.DoesNotContain("plain-looking-secret", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void OneLine_MultiLineTextWithBidiOverride_OneLineCutAndClean()
    {
        string shown = VaultSafeText.OneLine("first line\r\nsecond \u202Eline and a long tail", maxLength: 20);

        Assert.DoesNotContain('\n', shown);
        Assert.DoesNotContain('\u202E', shown);
        Assert.StartsWith("first line second", shown, StringComparison.Ordinal);
        Assert.True(shown.Length <= 21, shown);
    }

    [Fact]
    public void MaskEndpoint_UserInfo_Masked()
    {
        string shown = VaultSafeText.MaskEndpoint(new Uri("https://user:hunter2@vault.example/v1"));

        Assert.DoesNotContain("hunter2", shown, StringComparison.Ordinal);
        Assert.Contains("vault.example", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", VaultSafeText.MaskEndpoint("not a uri user:hunter2@host"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("good.token-1", false)]
    [InlineData("Bearer abc", true)]
    [InlineData("", true)]
    [InlineData("line\nbreak", true)]
    public void FindAccessTokenProblem_Token_AgreesWithFromAccessToken(string token, bool hasProblem)
    {
        string? problem = VaultCredentials.FindAccessTokenProblem(token);
        Exception? thrown = Record.Exception(() => VaultCredentials.FromAccessToken(token));

        Assert.Equal(hasProblem, problem is not null);
        Assert.Equal(hasProblem, thrown is ArgumentException);
        if (problem is not null)
        {
            Assert.Contains(problem, thrown!.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("abc", problem, StringComparison.Ordinal);
        }
    }
}
