using System.Reflection;
using Grpc.Core;

namespace VaultGrpc.Benchmarks.Remote;

/// <summary>
/// The request headers the facade sends, built as a hand-written client would: <c>x-goog-api-client</c>
/// (the same value, computed the way the library does; setups check it against what the fake saw from
/// the facade) and, over gRPC, <c>x-goog-request-params: name=…</c> with the name percent-encoded.
/// </summary>
internal static class SameHeaders
{
    public const string ApiClientName = "x-goog-api-client";

    public const string RequestParamsName = "x-goog-request-params";

    public static string ApiClient { get; } = BuildApiClient();

    /// <summary>Per call, as the facade does: the request params depend on the name.</summary>
    public static Metadata For(string name) => new()
    {
        { ApiClientName, ApiClient },
        { RequestParamsName, "name=" + Uri.EscapeDataString(name) },
    };

    /// <summary>What the fake's journal line shows when a call carried these headers.</summary>
    public static string JournalText(string name) => $"api-client={ApiClient} request-params=name={Uri.EscapeDataString(name)}";

    private static string BuildApiClient()
    {
        string runtime = Environment.Version.ToString(2);
        string library = VersionOf(typeof(VaultOperationsClient).Assembly);
        string grpc = VersionOf(typeof(Grpc.Net.Client.GrpcChannel).Assembly);
        string protobuf = VersionOf(typeof(Google.Protobuf.IMessage).Assembly);
        return $"gl-dotnet/{runtime} gccl/{library} grpc/{grpc} pb/{protobuf}";
    }

    private static string VersionOf(Assembly assembly)
    {
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
