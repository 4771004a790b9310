using VaultGrpc.Internal.Naming;

namespace VaultGrpc.Tests.Naming;

public sealed class OperationNameRulesTests
{
    [Fact]
    public void ToRestPath_SlashesKeptAndSpaceEncoded_ExactPath()
    {
        string path = OperationNameRules.ToRestPath(OperationNameRules.ValidateOperation("operations/a b/c", "name"));

        Assert.Equal("/v1/operations/a%20b/c", path);
    }

    [Fact]
    public void ValidateOperation_DotDotSegment_ThrowsNamingValue()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => OperationNameRules.ValidateOperation("operations/../matters/x", "name"));

        Assert.Contains("'operations/../matters/x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'..'", error.Message, StringComparison.Ordinal);
    }
}
