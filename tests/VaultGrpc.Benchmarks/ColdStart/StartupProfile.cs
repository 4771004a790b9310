namespace VaultGrpc.Benchmarks.ColdStart;

/// <summary>
/// What one start of a program does besides its own work, as evidence beside the times: how many
/// methods the JIT compiled (the runtime's <c>DOTNET_JitDisasmSummary</c>, one line per method; code
/// that is ReadyToRun-compiled is not listed) and which assemblies it loaded (the cold-start probe as a
/// startup hook). Printed as comment lines in the benchmark's log.
/// </summary>
internal static class StartupProfile
{
    /// <summary>Runs <paramref name="program"/> once more and prints what it compiled and loaded; returns the loaded assemblies' names.</summary>
    public static IReadOnlyList<string> Report(string label, string program, IReadOnlyList<string> args)
    {
        string stem = Path.Combine(Path.GetTempPath(), $"{Environment.ProcessId}-coldstart");
        string jitList = stem + "-jit.txt";
        string assemblyList = stem + "-assemblies.txt";
        try
        {
            // Two runs, so that the hook's own methods are not counted.
            BuiltApps.RunProgram(program, args, new Dictionary<string, string>
            {
                ["DOTNET_JitDisasmSummary"] = "1",
                ["DOTNET_JitStdOutFile"] = jitList,
            });
            BuiltApps.RunProgram(program, args, new Dictionary<string, string>
            {
                ["DOTNET_STARTUP_HOOKS"] = BuiltApps.Probe,
                ["COLDSTART_PROBE_ASSEMBLIES"] = assemblyList,
            });
            string[] compiled = [.. File.ReadAllLines(jitList).Select(MethodOf).Where(m => m.Length > 0)];
            string[] loaded = [.. File.ReadAllLines(assemblyList).Where(name => name != "coldstart-probe")];
            int commandLine = compiled.Count(m => m.StartsWith("System.CommandLine.", StringComparison.Ordinal));
            int own = compiled.Count(m => m.StartsWith("VaultGrpc.", StringComparison.Ordinal));
            Console.WriteLine(
                $"// {label}: {compiled.Length} methods JIT-compiled ({commandLine} System.CommandLine's, {own} VaultGrpc's), "
                + $"{loaded.Length} assemblies loaded: {string.Join(", ", loaded)}");
            return loaded;
        }
        finally
        {
            File.Delete(jitList);
            File.Delete(assemblyList);
        }
    }

    // "   12: JIT compiled Namespace.Type:Method(args) [Tier0, IL size=…]" → "Namespace.Type:Method(args) […]"
    private static string MethodOf(string line)
    {
        const string Marker = "JIT compiled ";
        int at = line.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? string.Empty : line[(at + Marker.Length)..];
    }
}
