using VaultGrpc.Internal.Naming;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Naming;

public sealed class OperationNameRulesTests
{
    // The routes the client's REST side expands names into (from the proto's http rules).
    private static readonly RestRoute GetRoute = RestRoute.For(OperationsReflection.Descriptor.Services[0].FindMethodByName("GetOperation"))!;
    private static readonly RestRoute CancelRoute = RestRoute.For(OperationsReflection.Descriptor.Services[0].FindMethodByName("CancelOperation"))!;

    private static readonly string HundredKilobyteName = "operations/" + new string('a', 100 * 1024);

    // Enumerated at run time (DisableDiscoveryEnumeration): xunit would otherwise serialize the rows and turn unpaired surrogates into U+FFFD.
    /// <summary>Bad name, a fragment the message must quote (the value, escaped/trimmed), a fragment of the rule.</summary>
    public static TheoryData<string?, string, string> BadNames => new()
    {
        { null, "(null)", "null" },
        { "", "''", "empty or white space" },
        { " ", "' '", "empty or white space" },
        { "\t\n", "'\\u0009\\u000A'", "empty or white space" },
        { "operations/../matters/x", "'operations/../matters/x'", "'..' segment" },
        { "operations/./x", "'operations/./x'", "'.' segment" },
        { "operations/..", "'operations/..'", "'..' segment" },
        { "operations/.", "'operations/.'", "'.' segment" },
        { "operations/x/..", "'operations/x/..'", "'..' segment" },
        { "operations/x/./y", "'operations/x/./y'", "'.' segment" },
        { "operations//x", "'operations//x'", "empty segment" },
        { "operations/", "'operations/'", "empty segment" },
        { "operations/x/", "'operations/x/'", "empty segment" },
        { "operations/x//y", "'operations/x//y'", "empty segment" },
        { "matters/1", "'matters/1'", "must start with 'operations/'" },
        { "operations", "'operations'", "the collection itself" },
        { "Operations/x", "'Operations/x'", "must start with 'operations/' (lower case)" },
        { "OPERATIONS/x", "'OPERATIONS/x'", "must start with 'operations/'" },
        { "/operations/x", "'/operations/x'", "must start with 'operations/'" },
        { "v1/operations/x", "'v1/operations/x'", "must start with 'operations/'" },
        { "https://vault.googleapis.com/v1/operations/x", "'https://vault.googleapis.com/v1/operations/x'", "must start with 'operations/'" },
        { "operations\\x", "'operations\\x'", "must start with 'operations/'" },
        { "operations:cancel", "'operations:cancel'", "must start with 'operations/'" },
        { " operations/x", "' operations/x'", "starts or ends with white space" },
        { "operations/x ", "'operations/x '", "starts or ends with white space" },
        { "\u00A0operations/x", "'\u00A0operations/x'", "starts or ends with white space" },
        { "operations/a\tb", "'operations/a\\u0009b'", "control or formatting character U+0009" },
        { "operations/a\nb", "'operations/a\\u000Ab'", "U+000A" },
        { "operations/a\rb", "'operations/a\\u000Db'", "U+000D" },
        { "operations/a\0b", "'operations/a\\u0000b'", "U+0000" },
        { "operations/x\0", "'operations/x\\u0000'", "U+0000" },
        { "operations/a\u007Fb", "'operations/a\\u007Fb'", "U+007F" },
        { "operations/a\u0085b", "'operations/a\\u0085b'", "U+0085" },
        { "operations/a\u2028b", "'operations/a\\u2028b'", "U+2028" },
        { "operations/a\u202Eb", "'operations/a\\u202Eb'", "U+202E" },
        { "operations/a\u2066b", "'operations/a\\u2066b'", "U+2066" },
        { "operations/a\uD800b", "'operations/a\\uD800b'", "unpaired surrogate U+D800" },
        { "operations/a\uDC00", "'operations/a\\uDC00'", "unpaired surrogate U+DC00" },
        { "operations/a\uD83D", "'operations/a\\uD83D'", "unpaired surrogate U+D83D" },
        { "operations/" + new string('a', OperationNameRules.MaxLength - 10), "(1025 characters)", "at most 1024" },
        { HundredKilobyteName, $"'operations/{new string('a', 49)}…' ({HundredKilobyteName.Length} characters)", $"it is {HundredKilobyteName.Length} characters long" },
    };

    /// <summary>Good name and its exact REST path.</summary>
    public static TheoryData<string, string> GoodNames => new()
    {
        { "operations/abc", "/v1/operations/abc" },
        { "operations/EXPORT-1234_abc.v2~x", "/v1/operations/EXPORT-1234_abc.v2~x" },
        { "operations/a/b/c", "/v1/operations/a/b/c" },
        { "operations/a b", "/v1/operations/a%20b" },
        { "operations/a?b", "/v1/operations/a%3Fb" },
        { "operations/a#b", "/v1/operations/a%23b" },
        { "operations/100%", "/v1/operations/100%25" },
        { "operations/a%2Fb", "/v1/operations/a%252Fb" },
        { "operations/a+b", "/v1/operations/a%2Bb" },
        { "operations/a:b", "/v1/operations/a%3Ab" },
        { "operations/user@example.com", "/v1/operations/user%40example.com" },
        { "operations/a&b=c;d,e", "/v1/operations/a%26b%3Dc%3Bd%2Ce" },
        { "operations/a\\b\"<>", "/v1/operations/a%5Cb%22%3C%3E" },
        { "operations/café", "/v1/operations/caf%C3%A9" },
        { "operations/名前", "/v1/operations/%E5%90%8D%E5%89%8D" },
        { "operations/\U0001F642", "/v1/operations/%F0%9F%99%82" },
        { "operations/..a/.../b.", "/v1/operations/..a/.../b." },
        { "operations/a b/c d", "/v1/operations/a%20b/c%20d" },
    };

    [Theory]
    [MemberData(nameof(BadNames), DisableDiscoveryEnumeration = true)]
    public void ValidateOperation_BadName_ThrowsNamingValueAndRule(string? name, string quotedValue, string rule)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => OperationNameRules.ValidateOperation(name, "name"));

        Assert.Equal("name", error.ParamName);
        Assert.Contains(quotedValue, error.Message, StringComparison.Ordinal);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NameTables_EnoughCases_AtLeastThirtyBadAndTenGood()
    {
        Assert.True(BadNames.Count >= 30, $"only {BadNames.Count} bad names");
        Assert.True(GoodNames.Count >= 10, $"only {GoodNames.Count} good names");
    }

    [Theory]
    [MemberData(nameof(BadNames), DisableDiscoveryEnumeration = true)]
    public void FindProblem_BadName_ReportsRule(string? name, string quotedValue, string rule)
    {
        _ = quotedValue;

        string? problem = OperationNameRules.FindProblem(name);

        Assert.NotNull(problem);
        Assert.Contains(rule, problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(GoodNames))]
    public void RestRoute_GoodName_ExactPath(string name, string expectedPath)
    {
        string validName = OperationNameRules.ValidateOperation(name, "name");

        string path = GetRoute.PathAndQuery(new GetOperationRequest { Name = validName });

        Assert.Same(name, validName);
        Assert.Equal(expectedPath, path);
    }

    [Theory]
    [MemberData(nameof(GoodNames))]
    public void RestRoute_GoodName_SystemUriKeepsPath(string name, string expectedPath)
    {
        var uri = new Uri("http://127.0.0.1:1" + CancelRoute.PathAndQuery(new CancelOperationRequest { Name = name }), UriKind.Absolute);

        Assert.Equal(expectedPath + ":cancel", uri.AbsolutePath);
        Assert.Equal(expectedPath + ":cancel", uri.PathAndQuery);
    }

    [Fact]
    public void ValidateOperation_LongestAllowedName_Accepted()
    {
        string name = "operations/" + new string('x', OperationNameRules.MaxLength - 11);

        Assert.Same(name, OperationNameRules.ValidateOperation(name, "name"));
    }
}
