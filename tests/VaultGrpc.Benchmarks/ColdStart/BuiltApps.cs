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

    /// <summary>The CLI's project directory, for <c>dotnet publish</c>.</summary>
    public static string VaultOpsProject => Path.Combine(RepositoryRoot, "src", "VaultGrpc.Cli");

    /// <summary>This executable's build configuration (Release, Debug): vault-ops is built and published in the same.</summary>
    public static string Configuration => OutputDirectory.Parent?.Name ?? throw new InvalidOperationException("Unexpected output layout.");

    /// <summary>This executable's target framework folder (net10.0).</summary>
    public static string Framework => OutputDirectory.Name;

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
    public static string Run(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        RunProgram(DotnetHost, [dll, .. args], environment);

    /// <summary>Runs <paramref name="program"/> (an apphost, the dotnet host) to its end; returns standard output; throws unless it exits 0.</summary>
    public static string RunProgram(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"'{program}' did not start.");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        // Long enough for a `dotnet publish` with its ReadyToRun compile on two busy cores.
        if (!process.WaitForExit(600_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"'{program} {string.Join(' ', args)}' did not exit within 10 minutes.");
        }

        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"'{program} {string.Join(' ', args)}' exited {process.ExitCode}: {error.GetAwaiter().GetResult()}{output}");
    }

    private static DirectoryInfo OutputDirectory => new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    private static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? dir = OutputDirectory; dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "VaultGrpc.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"No VaultGrpc.sln above '{OutputDirectory.FullName}'.");
        }
    }

    private static string Find(string projectDirectory, string fileName)
    {
        // This executable runs from <repo>/tests/VaultGrpc.Benchmarks/bin/<configuration>/<framework>/.
        string path = Path.Combine(RepositoryRoot, projectDirectory, "bin", Configuration, Framework, fileName);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"'{path}' is not built: build the solution in {Configuration} first.");
    }
}
