namespace VaultGrpc.Tests.Support;

/// <summary>Files of the repository the tests run from (found by walking up to VaultGrpc.sln).</summary>
internal static class RepositoryPaths
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "VaultGrpc.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("VaultGrpc.sln not found above " + AppContext.BaseDirectory);
    }

    public static string File(params string[] relative) => Path.Combine([Root(), .. relative]);
}
