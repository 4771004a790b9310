using BenchmarkDotNet.Attributes;

namespace VaultGrpc.Benchmarks.ColdStart;

/// <summary>
/// Wall time of one process start, to its exit: <c>vault-ops --help</c> against a hello-world console
/// app (the baseline, <c>dotnet coldstart-probe.dll</c>). Issue 9's target: Ratio ≤ 1.5; commands that
/// never start the fake should not load ASP.NET Core. Three vault-ops cases, so that before and after
/// sit in one table:
/// <list type="bullet">
/// <item><see cref="VaultOpsHelp"/>: <c>dotnet vault-ops.dll --help</c> from the solution's build, IL only
/// (what the portable tool package, VaultGrpc.Cli.any, runs);</item>
/// <item><see cref="VaultOpsHelp_ReadyToRun"/>: the apphost <c>vault-ops --help</c> of a ReadyToRun
/// publish for this machine's RID (what <c>dotnet tool install</c> installs from VaultGrpc.Cli.linux-x64);</item>
/// <item><see cref="VaultOpsHelp_ReadyToRunDotnet"/>: the same publish started as <c>dotnet vault-ops.dll</c>,
/// the baseline's way (ReadyToRun alone, without the apphost's part).</item>
/// </list>
/// Each setup prints how many methods the start JIT-compiled and which assemblies it loaded. The
/// ReadyToRun setup publishes first (about a minute the first time); the dry run does not publish: it
/// uses a publish already there, else the plain build's apphost, and says so.
/// Allocations are this process's (starting a child), not the child's.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ProcessStartJobConfig))]
public class HelpColdStartBenchmarks
{
    private static readonly string[] Help = ["--help"];

    private string _probe = "";
    private string _vaultOps = "";
    private string _readyToRunApphost = "";
    private string _readyToRunDll = "";

    [GlobalSetup(Target = nameof(HelloWorld))]
    public void SetUpHelloWorld()
    {
        _probe = BuiltApps.Probe;
        Expect(BuiltApps.Run(_probe, []), "Hello, World!");
        StartupProfile.Report("hello world", BuiltApps.DotnetHost, [_probe]);
    }

    [GlobalSetup(Target = nameof(VaultOpsHelp))]
    public void SetUpVaultOpsHelp()
    {
        _vaultOps = BuiltApps.VaultOps;
        Expect(BuiltApps.Run(_vaultOps, Help), "cancel");
        ExpectNoServerAssemblies(StartupProfile.Report("vault-ops --help (build, IL)", BuiltApps.DotnetHost, [_vaultOps, .. Help]));
    }

    [GlobalSetup(Targets = [nameof(VaultOpsHelp_ReadyToRun), nameof(VaultOpsHelp_ReadyToRunDotnet)])]
    public void SetUpReadyToRun()
    {
        string? folder = DryRun.Enabled ? ReadyToRunBuild.ExistingFolder : ReadyToRunBuild.Folder;
        if (folder is null)
        {
            // Publishing takes a minute: the dry run checks the cases' plumbing on the plain build instead.
            folder = Path.GetDirectoryName(BuiltApps.VaultOps)!;
            Console.WriteLine($"// dry run: no ReadyToRun publish for {ReadyToRunBuild.Rid} yet; the ReadyToRun cases run the plain build ({folder})");
        }

        _readyToRunApphost = ReadyToRunBuild.Apphost(folder);
        _readyToRunDll = ReadyToRunBuild.Dll(folder);
        Expect(BuiltApps.RunProgram(_readyToRunApphost, Help), "cancel");
        Expect(BuiltApps.Run(_readyToRunDll, Help), "cancel");
        string kind = ReadyToRunBuild.IsReadyToRun(_readyToRunDll) ? "ReadyToRun" : "IL";
        ExpectNoServerAssemblies(StartupProfile.Report($"vault-ops --help (apphost, {kind})", _readyToRunApphost, Help));
    }

    [Benchmark(Baseline = true)]
    public string HelloWorld() => BuiltApps.Run(_probe, []);

    [Benchmark]
    public string VaultOpsHelp() => BuiltApps.Run(_vaultOps, Help);

    [Benchmark]
    public string VaultOpsHelp_ReadyToRun() => BuiltApps.RunProgram(_readyToRunApphost, Help);

    [Benchmark]
    public string VaultOpsHelp_ReadyToRunDotnet() => BuiltApps.Run(_readyToRunDll, Help);

    private static void Expect(string output, string part)
    {
        if (!output.Contains(part, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The setup is not what the case claims: expected '{part}' in the output, got '{output}'.");
        }
    }

    /// <summary>--help builds no subcommand whole: neither ASP.NET Core nor the fake's assembly may load.</summary>
    private static void ExpectNoServerAssemblies(IReadOnlyList<string> loaded)
    {
        string[] server = [.. loaded.Where(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || name == "VaultGrpc.Testing")];
        if (server.Length > 0)
        {
            throw new InvalidOperationException($"vault-ops --help loaded {string.Join(", ", server)}: a subcommand was built whole.");
        }
    }
}
