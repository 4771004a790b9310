using System.Text.RegularExpressions;

namespace VaultGrpc.Tests.Readme;

/// <summary>
/// README's C# samples are the regions marked <c>// README:NAME begin</c> … <c>end</c> in the tests
/// of this folder, which compile and run, each opened by the <c>using</c> lines of its file's
/// <c>// README:NAME usings begin</c> … <c>end</c> region: those files sit outside the VaultGrpc
/// namespaces, so a sample pasted with its usings compiles as it does there. This test fails when
/// README and the tested code drift apart.
/// </summary>
public sealed class ReadmeSyncTests
{
    [Theory]
    [InlineData("production", "ProductionOptionsReadmeTests.cs")]
    [InlineData("quick-start", "QuickStartReadmeTests.cs")]
    [InlineData("fake-server", "FakeServerReadmeExampleTests.cs")]
    [InlineData("rest-invoker", "RestInvokerReadmeSampleTests.cs")]
    [InlineData("fallback-invoker", "FallbackInvokerReadmeSampleTests.cs")]
    [InlineData("dependency-injection", "DependencyInjectionReadmeTests.cs")]
    [InlineData("lifecycle", "LifecycleReadmeTests.cs")]
    [InlineData("opentelemetry", "OpenTelemetryReadmeTests.cs")]
    public void Readme_Sample_MatchesTestedCode(string sample, string testFile)
    {
        string root = RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        string test = File.ReadAllText(Path.Combine(root, "tests", "VaultGrpc.Tests", "Readme", testFile)).ReplaceLineEndings("\n");

        Match inReadme = Regex.Match(readme, $@"<!-- README:{Regex.Escape(sample)} -->\n```csharp\n(.*?)```", RegexOptions.Singleline);
        Match usingsInTest = Regex.Match(test, $@"^// README:{Regex.Escape(sample)} usings begin\n(.*?)\n// README:{Regex.Escape(sample)} usings end\n", RegexOptions.Singleline | RegexOptions.Multiline);
        Match inTest = Regex.Match(test, $@"\n[ ]*// README:{Regex.Escape(sample)} begin\n(.*?)\n[ ]*// README:{Regex.Escape(sample)} end", RegexOptions.Singleline);

        Assert.True(inReadme.Success, $"README.md has no '<!-- README:{sample} -->' block followed by a csharp fence.");
        Assert.True(usingsInTest.Success, $"{testFile} has no README:{sample} usings region.");
        Assert.True(inTest.Success, $"{testFile} has no README:{sample} region.");
        // Inside a VaultGrpc namespace, types would resolve without the usings the README shows.
        Assert.DoesNotMatch(@"(?m)^namespace VaultGrpc", test);
        Assert.All(usingsInTest.Groups[1].Value.Split('\n'), line => Assert.StartsWith("using ", line));
        Assert.Equal(usingsInTest.Groups[1].Value + "\n\n" + Dedent(inTest.Groups[1].Value), inReadme.Groups[1].Value.TrimEnd('\n'));
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
