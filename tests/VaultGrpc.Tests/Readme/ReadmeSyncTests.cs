using System.Text.RegularExpressions;

namespace VaultGrpc.Tests.Readme;

/// <summary>
/// README's C# samples are the regions marked <c>// README:NAME begin</c> … <c>end</c> in the tests
/// of this folder, which compile and run; this test fails when the two drift apart.
/// </summary>
public sealed class ReadmeSyncTests
{
    [Theory]
    [InlineData("production", "QuickStartReadmeTests.cs")]
    [InlineData("quick-start", "QuickStartReadmeTests.cs")]
    [InlineData("fake-server", "FakeServerReadmeExampleTests.cs")]
    [InlineData("rest-invoker", "RestInvokerReadmeSampleTests.cs")]
    public void Readme_Sample_MatchesTestedCode(string sample, string testFile)
    {
        string root = RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        string test = File.ReadAllText(Path.Combine(root, "tests", "VaultGrpc.Tests", "Readme", testFile)).ReplaceLineEndings("\n");

        Match inReadme = Regex.Match(readme, $@"<!-- README:{Regex.Escape(sample)} -->\n```csharp\n(.*?)```", RegexOptions.Singleline);
        Match inTest = Regex.Match(test, $@"\n[ ]*// README:{Regex.Escape(sample)} begin\n(.*?)\n[ ]*// README:{Regex.Escape(sample)} end", RegexOptions.Singleline);

        Assert.True(inReadme.Success, $"README.md has no '<!-- README:{sample} -->' block followed by a csharp fence.");
        Assert.True(inTest.Success, $"{testFile} has no README:{sample} region.");
        Assert.Equal(Dedent(inTest.Groups[1].Value), inReadme.Groups[1].Value.TrimEnd('\n'));
    }

    private static string Dedent(string code)
    {
        string[] lines = code.Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart(' ').Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart(' ')));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VaultGrpc.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("VaultGrpc.sln not found above " + AppContext.BaseDirectory);
    }
}
