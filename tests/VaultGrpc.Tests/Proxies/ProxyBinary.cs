namespace VaultGrpc.Tests.Proxies;

/// <summary>A program on this machine, or why it is not there.</summary>
/// <param name="Name">The executable's file name.</param>
/// <param name="DebianPackage">The Debian package that installs it.</param>
internal sealed record ProxyBinary(string Name, string DebianPackage)
{
    private static readonly string[] SbinDirectories = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    private readonly Lazy<string?> _path = new(() => Find(Name));

    /// <summary>The full path, or null when the program is not installed.</summary>
    public string? Path => _path.Value;

    /// <summary>Why a test that needs it is skipped; null when it is installed.</summary>
    public string? MissingReason => Path is null
        ? $"'{Name}' is not on PATH: install it with 'apt-get install --no-install-recommends {DebianPackage}' (.ci/run does)."
        : null;

    private static string? Find(string name)
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string directory in directories.Concat(SbinDirectories))
        {
            string candidate = System.IO.Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
