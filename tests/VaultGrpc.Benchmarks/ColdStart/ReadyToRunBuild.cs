using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace VaultGrpc.Benchmarks.ColdStart;

/// <summary>
/// vault-ops as its RID-specific tool package ships it: <c>dotnet publish -r RID</c> of the CLI for this
/// machine's RID (the project compiles RID-specific publishes ReadyToRun), in the same configuration as
/// this executable, into the SDK's default folder <c>src/VaultGrpc.Cli/bin/CONFIG/net10.0/RID/publish/</c>.
/// </summary>
internal static class ReadyToRunBuild
{
    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>This machine's RID (linux-x64 here), the package <c>dotnet tool install</c> picks.</summary>
    public static string Rid => RuntimeInformation.RuntimeIdentifier;

    /// <summary>
    /// The published folder, published once per process: about a minute on two cores the first time
    /// (the ReadyToRun compile of vault-ops and its dependencies), incremental afterwards.
    /// </summary>
    public static string Folder => Published.Value;

    /// <summary>
    /// The published folder when a ReadyToRun publish at least as new as the plain build is already
    /// there, else null (the dry run uses this instead of publishing).
    /// </summary>
    public static string? ExistingFolder =>
        File.Exists(Dll(PublishDirectory))
        && IsReadyToRun(Dll(PublishDirectory))
        && File.GetLastWriteTimeUtc(Dll(PublishDirectory)) >= File.GetLastWriteTimeUtc(BuiltApps.VaultOps)
            ? PublishDirectory
            : null;

    /// <summary>The apphost in <paramref name="folder"/>: what the tool's command runs.</summary>
    public static string Apphost(string folder) => Path.Combine(folder, OperatingSystem.IsWindows() ? "vault-ops.exe" : "vault-ops");

    /// <summary>vault-ops.dll in <paramref name="folder"/>.</summary>
    public static string Dll(string folder) => Path.Combine(folder, "vault-ops.dll");

    /// <summary>Whether the assembly at <paramref name="path"/> carries ReadyToRun code (a managed native header).</summary>
    public static bool IsReadyToRun(string path)
    {
        using var reader = new PEReader(File.OpenRead(path));
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    private static string PublishDirectory =>
        Path.Combine(BuiltApps.VaultOpsProject, "bin", BuiltApps.Configuration, BuiltApps.Framework, Rid, "publish");

    private static string Publish()
    {
        Console.WriteLine($"// publishing vault-ops for {Rid} ({BuiltApps.Configuration}, ReadyToRun) into {PublishDirectory}");
        BuiltApps.RunProgram(
            BuiltApps.DotnetHost,
            ["publish", BuiltApps.VaultOpsProject, "-c", BuiltApps.Configuration, "-r", Rid, "--nologo", "-v", "quiet"]);
        foreach (string assembly in new[] { "vault-ops.dll", "System.CommandLine.dll" })
        {
            if (!IsReadyToRun(Path.Combine(PublishDirectory, assembly)))
            {
                throw new InvalidOperationException($"The publish is not what the case claims: {assembly} in '{PublishDirectory}' has no ReadyToRun code.");
            }
        }

        return PublishDirectory;
    }
}
