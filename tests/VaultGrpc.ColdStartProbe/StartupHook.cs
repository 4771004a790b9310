using System.Runtime.Loader;

/// <summary>
/// Loaded into another app by <c>DOTNET_STARTUP_HOOKS=…/coldstart-probe.dll</c> (the runtime looks for
/// this exact type name, outside any namespace): when that app exits, writes the simple name of every
/// assembly it loaded to the file named by <see cref="OutputVariable"/>, one a line. Answers "does
/// <c>vault-ops --help</c> load ASP.NET Core?" without a hook inside vault-ops itself.
/// </summary>
internal static class StartupHook
{
    public const string OutputVariable = "COLDSTART_PROBE_ASSEMBLIES";

    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(OutputVariable) is not { Length: > 0 } path)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            IEnumerable<string> names = AssemblyLoadContext.All
                .SelectMany(context => context.Assemblies)
                .Select(assembly => assembly.GetName().Name ?? "?")
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal);
            File.WriteAllLines(path, names);
        };
    }
}
