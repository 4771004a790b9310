using System.Reflection;

namespace VaultGrpc.Internal.Telemetry;

/// <summary>The <c>x-goog-api-client</c> value both transports send, built once per client.</summary>
internal static class ApiClientHeader
{
    public const string Name = "x-goog-api-client";

    private static readonly string Base = Build();

    /// <summary>The header value, with the caller's suffix (already validated) appended.</summary>
    public static string Value(string? suffix) => string.IsNullOrEmpty(suffix) ? Base : Base + " " + suffix;

    private static string Build()
    {
        string runtime = Environment.Version.ToString(2);
        string library = VersionOf(typeof(ApiClientHeader).Assembly);
        string grpc = VersionOf(typeof(Grpc.Net.Client.GrpcChannel).Assembly);
        string protobuf = VersionOf(typeof(Google.Protobuf.IMessage).Assembly);
        return $"gl-dotnet/{runtime} gccl/{library} grpc/{grpc} pb/{protobuf}";
    }

    private static string VersionOf(Assembly assembly)
    {
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        string version = informational ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
