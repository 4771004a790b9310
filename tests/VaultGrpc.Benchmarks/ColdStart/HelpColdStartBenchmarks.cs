using BenchmarkDotNet.Attributes;

namespace VaultGrpc.Benchmarks.ColdStart;

/// <summary>
/// Wall time of one process start, to its exit: <c>vault-ops --help</c> against a hello-world console
/// app (the baseline), both as <c>dotnet app.dll</c> from the solution's build output. Issue 9's target:
/// Ratio ≤ 1.5; commands that never start the fake should not load ASP.NET Core. The setup of the help
/// case prints which ASP.NET Core assemblies <c>--help</c> loaded (a startup hook lists them at exit).
/// Allocations are this process's (starting a child), not the child's.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ProcessStartJobConfig))]
public class HelpColdStartBenchmarks
{
    private const string AssemblyListFile = "coldstart-assemblies.txt";

    private string _vaultOps = "";
    private string _probe = "";

    [GlobalSetup(Target = nameof(HelloWorld))]
    public void SetUpHelloWorld()
    {
        _probe = BuiltApps.Probe;
        Expect(BuiltApps.Run(_probe, []), "Hello, World!");
    }

    [GlobalSetup(Target = nameof(VaultOpsHelp))]
    public void SetUpVaultOpsHelp()
    {
        _vaultOps = BuiltApps.VaultOps;
        Expect(BuiltApps.Run(_vaultOps, ["--help"]), "cancel");
        ReportLoadedAssemblies();
    }

    [Benchmark(Baseline = true)]
    public string HelloWorld() => BuiltApps.Run(_probe, []);

    [Benchmark]
    public string VaultOpsHelp() => BuiltApps.Run(_vaultOps, ["--help"]);

    private static void Expect(string output, string part)
    {
        if (!output.Contains(part, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The setup is not what the case claims: expected '{part}' in the output, got '{output}'.");
        }
    }

    private void ReportLoadedAssemblies()
    {
        string list = Path.Combine(Path.GetTempPath(), $"{Environment.ProcessId}-{AssemblyListFile}");
        try
        {
            BuiltApps.Run(_vaultOps, ["--help"], new Dictionary<string, string>
            {
                ["DOTNET_STARTUP_HOOKS"] = BuiltApps.Probe,
                ["COLDSTART_PROBE_ASSEMBLIES"] = list,
            });
            string[] loaded = File.ReadAllLines(list);
            string[] aspNet = [.. loaded.Where(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))];
            Console.WriteLine($"// vault-ops --help loaded {loaded.Length} assemblies, {aspNet.Length} of ASP.NET Core{(aspNet.Length > 0 ? ": " + string.Join(", ", aspNet) : "")}");
            Console.WriteLine($"// loaded: {string.Join(", ", loaded)}");
        }
        finally
        {
            File.Delete(list);
        }
    }
}
