namespace VaultGrpc.Tests.Fallback;

public sealed class ClientOptionsTests
{
    [Fact]
    public void Create_ManyBadOptions_OneErrorListingEveryProblem()
    {
        var options = new VaultOperationsClientOptions
        {
            Endpoint = new Uri("ftp://example.test"),
            RestEndpoint = new Uri("https://example.test/v1/"),
            StickyRestWindow = TimeSpan.FromSeconds(-1),
            DefaultTimeout = TimeSpan.Zero,
            Retry = { MaxAttempts = 0, BackoffMultiplier = 0.5 },
        };

        ArgumentException error = Assert.Throws<ArgumentException>(() => VaultOperationsClient.Create(options));

        Assert.Contains("Endpoint 'ftp://example.test/'", error.Message, StringComparison.Ordinal);
        Assert.Contains("RestEndpoint 'https://example.test/v1/' must have no path", error.Message, StringComparison.Ordinal);
        Assert.Contains("StickyRestWindow", error.Message, StringComparison.Ordinal);
        Assert.Contains("DefaultTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("Retry.MaxAttempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("Retry.BackoffMultiplier", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_TokenOverPlaintextToRemoteHost_Refused()
    {
        var options = new VaultOperationsClientOptions
        {
            Endpoint = new Uri("http://vault.example.test"),
            Credentials = VaultCredentials.FromAccessToken("secret-token"),
        };

        ArgumentException error = Assert.Throws<ArgumentException>(() => VaultOperationsClient.Create(options));

        Assert.Contains("plaintext to 'http://vault.example.test/'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", false)]
    [InlineData("http://localhost:5000", false)]
    [InlineData("http://[::1]:5000", false)]
    [InlineData("http://vault.example.test", true)]
    public void GetValidationErrors_TokenOverPlaintext_LoopbackOrOptInAllowed(string endpoint, bool allowInsecure)
    {
        var options = new VaultOperationsClientOptions
        {
            Endpoint = new Uri(endpoint),
            Credentials = VaultCredentials.FromAccessToken("t"),
            AllowInsecureCredentials = allowInsecure,
        };

        Assert.Empty(options.GetValidationErrors());
    }

    [Fact]
    public void Defaults_MatchDocumentedValues()
    {
        var options = new VaultOperationsClientOptions();

        Assert.Equal(new Uri("https://vault.googleapis.com"), options.Endpoint);
        Assert.Equal(TransportMode.Auto, options.TransportMode);
        Assert.Equal(TimeSpan.FromMinutes(5), options.StickyRestWindow);
        Assert.Equal(TimeSpan.FromSeconds(10), options.DefaultTimeout);
        Assert.Equal(5, options.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Retry.InitialBackoff);
        Assert.Equal(2.0, options.Retry.BackoffMultiplier);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Retry.MaxBackoff);
        Assert.Equal([Grpc.Core.StatusCode.Unavailable], options.Retry.RetryableStatusCodes);
        Assert.Equal("adc", options.Credentials.Description);
    }

    [Theory]
    [InlineData("Bearer abc")]
    [InlineData("abc\n")]
    [InlineData("")]
    public void FromAccessToken_TokenWithSpaceOrControlOrEmpty_Throws(string token)
    {
        Assert.ThrowsAny<ArgumentException>(() => VaultCredentials.FromAccessToken(token));
    }
}
