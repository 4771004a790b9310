using VaultGrpc.Cli;
using VaultGrpc.Cli.Input;

namespace VaultGrpc.Tests.Cli;

public sealed class NameSetTests
{
    [Fact]
    public void ValidateAndDeduplicate_Duplicates_KeepsFirstOccurrenceOrder()
    {
        IReadOnlyList<string> names = NameSet.ValidateAndDeduplicate(["operations/b", "operations/a", "operations/b", "operations/a", "operations/c"]);

        Assert.Equal(["operations/b", "operations/a", "operations/c"], names);
    }

    [Fact]
    public void ValidateAndDeduplicate_CaseDiffers_KeepsBoth()
    {
        IReadOnlyList<string> names = NameSet.ValidateAndDeduplicate(["operations/A", "operations/a"]);

        Assert.Equal(2, names.Count);
    }

    [Fact]
    public void ValidateAndDeduplicate_SeveralInvalid_ListsEveryOneWithItsRule()
    {
        UsageException error = Assert.Throws<UsageException>(() => NameSet.ValidateAndDeduplicate(
            ["operations/ok", "matters/1", "operations/../matters/x", "operations/a//b", "operations/bell\u0007"]));

        Assert.Contains("4 invalid operation names; nothing was sent", error.Message);
        Assert.Contains("'matters/1'", error.Message);
        Assert.Contains("'operations/../matters/x'", error.Message);
        Assert.Contains("'operations/a//b'", error.Message);
        Assert.Contains("'operations/bell\\u0007'", error.Message);
        Assert.DoesNotContain("\u0007", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAndDeduplicate_ManyInvalid_ShowsTwentyAndCountsTheRest()
    {
        string[] bad = Enumerable.Range(0, 25).Select(i => $"bad/{i}").ToArray();

        UsageException error = Assert.Throws<UsageException>(() => NameSet.ValidateAndDeduplicate(bad));

        Assert.Contains("'bad/19'", error.Message);
        Assert.DoesNotContain("'bad/20'", error.Message);
        Assert.Contains("and 5 more", error.Message);
    }

    [Fact]
    public void ValidateAndDeduplicate_NoNames_ThrowsUsageException()
    {
        UsageException error = Assert.Throws<UsageException>(() => NameSet.ValidateAndDeduplicate([]));

        Assert.Contains("No operation names", error.Message);
    }
}
