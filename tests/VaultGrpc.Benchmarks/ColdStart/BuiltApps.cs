using System.Diagnostics;
using System.Runtime.InteropServices;

namespace VaultGrpc.Benchmarks.ColdStart;

/// <summary>
/// Where the solution's build put vault-ops and the cold-start probe (the same configuration as this
/// executable: a Release benchmark starts a Release vault-ops), and how to start them the way a user
/// of the dotnet tool does: <c>dotnet app.dll …</c>.
/// </summary>
internal static class BuiltApps
{
    public static string VaultOps => Find("src/VaultGrpc.Cli", "vault-ops.dll");

    public static string Probe => Find("tests/VaultGrpc.ColdStartProbe", "coldstart-probe.dll");

    /// <summary>The dotnet host that runs this process's runtime (…/shared/Microsoft.NETCore.App/VERSION/ is three levels below it).</summary>
    public static string DotnetHost
    {
        get
        {
            string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
            string host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            return File.Exists(host) ? host : throw new InvalidOperationException($"No dotnet host beside the runtime at '{root}'.");
        }
    }

    /// <summary>Runs <c>dotnet <paramref name="dll"/> <paramref name="args"/></c> to its end; returns standard output; throws unless it exits 0.</summary>
    public static string Run(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"'{dll}' did not start.");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"'{dll}' did not exit within 60 s.");
        }

        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"'{dll}' exited {process.ExitCode}: {error.GetAwaiter().GetResult()}");
    }

    private static string Find(string projectDirectory, string fileName)
    {
        // This executable runs from <repo>/tests/VaultGrpc.Benchmarks/bin/<configuration>/<framework>/.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = here.Name;
        string configuration = here.Parent?.Name ?? throw new InvalidOperationException("Unexpected output layout.");
        for (DirectoryInfo? dir = here; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VaultGrpc.sln")))
            {
                string path = Path.Combine(dir.FullName, projectDirectory, "bin", configuration, framework, fileName);
                return File.Exists(path)
                    ? path
                    : throw new InvalidOperationException($"'{path}' is not built: build the solution in {configuration} first.");
            }
        }

        throw new InvalidOperationException($"No VaultGrpc.sln above '{here.FullName}'.");
    }
}
