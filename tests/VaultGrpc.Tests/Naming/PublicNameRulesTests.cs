namespace VaultGrpc.Tests.Naming;

/// <summary>The published name validator says what the client's calls say, before any I/O.</summary>
public sealed class PublicNameRulesTests
{
    [Theory]
    [InlineData("operations/abc", true)]
    [InlineData("operations/a/b", true)]
    [InlineData("operations/../matters/x", false)]
    [InlineData("matters/x", false)]
    [InlineData("operations/a\u202Eb", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValid_Name_AgreesWithFindProblem(string? name, bool valid)
    {
        Assert.Equal(valid, VaultOperationNames.IsValid(name));
        Assert.Equal(valid, VaultOperationNames.FindProblem(name) is null);
    }

    [Fact]
    public async Task Validate_BadName_SameMessageAsTheClientsCall()
    {
        const string Bad = "operations/a/../b";
        await using VaultOperationsClient client = VaultOperationsClient.Create(o =>
        {
            o.Endpoint = new Uri("http://127.0.0.1:1");
            o.Credentials = VaultCredentials.None;
        });

        var fromValidator = Assert.Throws<ArgumentException>(() => VaultOperationNames.Validate(Bad));
        var fromCall = await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync(Bad));

        Assert.Equal(fromCall.Message, fromValidator.Message);
        Assert.Equal("name", fromValidator.ParamName);
    }

    [Fact]
    public void MaxLength_OneOver_IsRefused()
    {
        string longest = VaultOperationNames.Collection + "/" + new string('a', VaultOperationNames.MaxLength - VaultOperationNames.Collection.Length - 1);

        Assert.True(VaultOperationNames.IsValid(longest));
        Assert.False(VaultOperationNames.IsValid(longest + "a"));
    }
}
