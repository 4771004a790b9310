using VaultGrpc.Invokers.Rest;

namespace VaultGrpc.Tests.Invokers.Rest;

/// <summary>Path template parsing and expansion by google/api/http.proto, and refusal of values that would change the path.</summary>
public sealed class PathTemplateTests
{
    [Theory]
    [InlineData("/v1/{name=operations/**}", "operations/abc", "/v1/operations/abc")]
    [InlineData("/v1/{name=operations/**}:cancel", "operations/a/b/c", "/v1/operations/a/b/c:cancel")]
    [InlineData("/v1/{name=operations/**}", "operations/a b", "/v1/operations/a%20b")]
    [InlineData("/v1/{name=operations/**}", "operations/é", "/v1/operations/%C3%A9")]
    [InlineData("/v1/{name=operations/**}", "operations/x?y#z%", "/v1/operations/x%3Fy%23z%25")]
    [InlineData("/v1/{name=operations/**}", "operations/-_.~", "/v1/operations/-_.~")]
    [InlineData("/v1/{name=operations/**}", "operations/😀", "/v1/operations/%F0%9F%98%80")]
    [InlineData("/v1/{name=operations}", "operations", "/v1/operations")]
    [InlineData("/v1/{id}", "a/b", "/v1/a%2Fb")]
    [InlineData("/v1/{id}", "a+b&c=d", "/v1/a%2Bb%26c%3Dd")]
    [InlineData("/v1/{id=*}/items", "x.y", "/v1/x.y/items")]
    [InlineData("/v1/projects/{project}/{name=locations/*/things/*}:run", "p1|locations/l/things/t", "/v1/projects/p1/locations/l/things/t:run")]
    [InlineData("/v1/{parent.id}/children", "p-7", "/v1/p-7/children")]
    public void Expand_ValidValues_PercentEncodedPath(string template, string values, string expected)
    {
        PathTemplate parsed = PathTemplate.Parse(template);

        string path = parsed.Expand(values.Split('|'));

        Assert.Equal(expected, path);
    }

    [Theory]
    [Trait("Category", "Reliability")]
    [InlineData("/v1/{name=operations/**}", "")]
    [InlineData("/v1/{name=operations/**}", "   ")]
    [InlineData("/v1/{name=operations/**}", "operations")]
    [InlineData("/v1/{name=operations/**}", "operations/")]
    [InlineData("/v1/{name=operations/**}", "operations//x")]
    [InlineData("/v1/{name=operations/**}", "operations/../matters/x")]
    [InlineData("/v1/{name=operations/**}", "operations/./x")]
    [InlineData("/v1/{name=operations/**}", "matters/x")]
    [InlineData("/v1/{name=operations/**}", "/operations/x")]
    [InlineData("/v1/{name=operations/**}", "operations/x\r\nHost: evil")]
    [InlineData("/v1/{name=operations/**}", "operations/x\u0000")]
    [InlineData("/v1/{name=operations/**}", "operations/x\u200B")]
    [InlineData("/v1/{name=operations/**}", "operations/x\uD800")]
    [InlineData("/v1/{name=operations}", "operations/x")]
    [InlineData("/v1/{id}", "..")]
    [InlineData("/v1/{id}", ".")]
    [InlineData("/v1/{name=locations/*/things/*}", "locations/l/things")]
    [InlineData("/v1/{name=locations/*/things/*}", "locations/l/widgets/w")]
    [InlineData("/v1/{name=locations/*/things/*}", "locations/l/things/t/more")]
    public void Expand_HostileValue_ArgumentExceptionNamingTheField(string template, string value)
    {
        PathTemplate parsed = PathTemplate.Parse(template);

        ArgumentException error = Assert.Throws<ArgumentException>(() => parsed.Expand([value]));

        Assert.Contains($"'{parsed.Variables[0].FieldPath}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void Expand_HugeValue_RefusedWithShortMessage()
    {
        PathTemplate parsed = PathTemplate.Parse("/v1/{name=operations/**}");
        string value = "operations/" + new string('a', PathVariable.MaxValueLength);

        ArgumentException error = Assert.Throws<ArgumentException>(() => parsed.Expand([value]));

        Assert.True(error.Message.Length < 400, error.Message);
    }

    [Theory]
    [InlineData("v1/{name}")]
    [InlineData("/v1/{name")]
    [InlineData("/v1/{name=a/**/b}")]
    [InlineData("/v1/*")]
    [InlineData("/v1/{}")]
    [InlineData("/v1/{na-me}")]
    [InlineData("/v1/x:")]
    [InlineData("/v1//x")]
    [InlineData("/v1/x/")]
    [InlineData("/v1/{a}b")]
    public void Parse_MalformedTemplate_FormatException(string template)
    {
        Assert.Throws<FormatException>(() => PathTemplate.Parse(template));
    }

    [Fact]
    public void Parse_VerbAndVariables_Exposed()
    {
        PathTemplate parsed = PathTemplate.Parse("/v1/{parent.id=shelves/*}/{book}:publish");

        Assert.Equal("publish", parsed.Verb);
        Assert.Equal(["parent.id", "book"], parsed.Variables.Select(v => v.FieldPath));
        Assert.Equal([true, false], parsed.Variables.Select(v => v.IsMultiSegment));
    }
}
