using VaultGrpc.Internal.Text;
using VaultGrpc.Tests.Cli;

namespace VaultGrpc.Tests.Secrets;

/// <summary>Endpoints carrying user information are refused, and no message ever shows the password.</summary>
[Trait("Category", "Reliability")]
public sealed class EndpointUserInfoTests
{
    private const string Password = "hunter2pass";

    public static TheoryData<string, string> WithUserInfo => new()
    {
        { $"https://user:{Password}@vault.example", "https://user:***@vault.example/" },
        { $"https://{Password}@vault.example", "https://***@vault.example/" },
        { $"https://:{Password}@vault.example", "https://:***@vault.example/" },
        { $"http://user:{Password}@127.0.0.1:8080", "http://user:***@127.0.0.1:8080/" },
        { $"https://user:{Password}%40x@vault.example/", "https://user:***@vault.example/" },
        { $"https://user:{Password}@vault.example/v1/x?q=1", "https://user:***@vault.example/v1/x?q=1" },
        { $"https://user:{Password}@[::1]:8443", "https://user:***@[::1]:8443/" },
    };

    [Theory]
    [MemberData(nameof(WithUserInfo))]
    public void GetValidationErrors_EndpointWithUserInfo_RefusedAndShownMasked(string endpoint, string masked)
    {
        var options = new VaultOperationsClientOptions { Endpoint = new Uri(endpoint), Credentials = VaultCredentials.None };

        IReadOnlyList<string> errors = options.GetValidationErrors();

        Assert.Contains(errors, e => e.StartsWith($"Endpoint '{masked}' must not contain user information", StringComparison.Ordinal));
        Assert.DoesNotContain(Password, string.Join(" ", errors), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(WithUserInfo))]
    public void Create_RestEndpointWithUserInfo_ArgumentExceptionWithoutPassword(string endpoint, string masked)
    {
        var options = new VaultOperationsClientOptions
        {
            Endpoint = new Uri("https://vault.example"),
            RestEndpoint = new Uri(endpoint),
            Credentials = VaultCredentials.FromAccessToken("ya29.token"),
        };

        var thrown = Assert.Throws<ArgumentException>(() => VaultOperationsClient.Create(options));

        Assert.Contains($"RestEndpoint '{masked}' must not contain user information", thrown.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetValidationErrors_PlaintextRemoteEndpointWithUserInfo_EveryMessageMasked()
    {
        var options = new VaultOperationsClientOptions
        {
            Endpoint = new Uri($"http://user:{Password}@vault.example"),
            Credentials = VaultCredentials.FromAccessToken("ya29.token"),
        };

        IReadOnlyList<string> errors = options.GetValidationErrors();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("Credentials would go over plaintext to 'http://user:***@vault.example/'", StringComparison.Ordinal));
        Assert.DoesNotContain(Password, string.Join(" ", errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--endpoint", $"https://user:{Password}@vault.example", "https://user:***@vault.example/")]
    [InlineData("--rest-endpoint", $"https://user:{Password}@vault.example", "https://user:***@vault.example/")]
    [InlineData("--endpoint", $"ftp://user:{Password}@vault.example/", "ftp://user:***@vault.example/")]
    [InlineData("--endpoint", $"user:{Password}@vault.example", "***@vault.example")]
    [InlineData("--endpoint", $"https://{Password}@", "https://***@")]
    public async Task Cli_EndpointWithUserInfo_UsageErrorShowsItMasked(string option, string value, string masked)
    {
        CliRun run = await CliRun.RunAsync(["get", "operations/a", "--no-auth", option, value], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(masked, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.Out + run.Error, StringComparison.Ordinal);
        Assert.Empty(run.ClientOptions);
    }

    [Fact]
    public async Task Cli_StrayArgumentWithPasswordUrl_ParseErrorMasksIt()
    {
        // A stray value (here after a forgotten --endpoint) is quoted by the parse error. A mistyped
        // option itself is reported alone, as an unknown option (see PlainUsageErrorTests).
        CliRun run = await CliRun.RunAsync(["get", "operations/a", "--no-auth", $"https://user:{Password}@vault.example"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("https://user:***@vault.example", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://vault.example/", "https://vault.example/")]
    [InlineData("no scheme at all", "no scheme at all")]
    [InlineData("", "")]
    [InlineData("https://host/path@x", "https://host/path@x")]
    [InlineData("https://a:b@c@host/", "https://a:***@host/")]
    public void Masked_Text_OnlyUserInformationMasked(string text, string expected)
    {
        Assert.Equal(expected, EndpointText.Masked(text));
    }
}
