using Grpc.Core;

namespace VaultGrpc.Internal.GrpcCalls;

/// <summary>The request headers every gRPC call carries besides credentials.</summary>
internal static class GrpcCallHeaders
{
    public const string ApiClient = "x-goog-api-client";

    public const string RequestParams = "x-goog-request-params";

    private const string NamePrefix = "name=";

    // Names longer than this (escaped) take the slower path of two strings.
    private const int StackEscapeLength = 512;

    /// <summary>The <c>x-goog-api-client</c> entry, built once per client (entries are immutable, so calls share it).</summary>
    public static Metadata.Entry ApiClientEntry(string apiClientHeader) => new(ApiClient, apiClientHeader);

    /// <summary>
    /// <c>x-goog-api-client</c>, and <c>x-goog-request-params: name=…</c> with the resource name
    /// percent-encoded (slashes too), as Google front ends route on it.
    /// </summary>
    public static Metadata Create(string apiClientHeader, string resourceName) => Create(ApiClientEntry(apiClientHeader), resourceName);

    /// <summary>As <see cref="Create(string, string)"/>, with a shared <c>x-goog-api-client</c> entry: per call, one list and one string.</summary>
    public static Metadata Create(Metadata.Entry apiClient, string resourceName) =>
    [
        apiClient,
        new Metadata.Entry(RequestParams, RequestParamsValue(resourceName)),
    ];

    /// <summary><c>name=</c> and the percent-encoded name, as one string.</summary>
    internal static string RequestParamsValue(string resourceName)
    {
        Span<char> buffer = stackalloc char[StackEscapeLength];
        NamePrefix.CopyTo(buffer);
        return Uri.TryEscapeDataString(resourceName, buffer[NamePrefix.Length..], out int written)
            ? new string(buffer[..(NamePrefix.Length + written)])
            : NamePrefix + Uri.EscapeDataString(resourceName);
    }
}
