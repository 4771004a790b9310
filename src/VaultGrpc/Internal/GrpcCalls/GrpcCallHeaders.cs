using Grpc.Core;

namespace VaultGrpc.Internal.GrpcCalls;

/// <summary>The request headers every gRPC call carries besides credentials.</summary>
internal static class GrpcCallHeaders
{
    public const string ApiClient = "x-goog-api-client";

    public const string RequestParams = "x-goog-request-params";

    /// <summary>
    /// <c>x-goog-api-client</c>, and <c>x-goog-request-params: name=…</c> with the resource name
    /// percent-encoded (slashes too), as Google front ends route on it.
    /// </summary>
    public static Metadata Create(string apiClientHeader, string resourceName) =>
    [
        new Metadata.Entry(ApiClient, apiClientHeader),
        new Metadata.Entry(RequestParams, "name=" + Uri.EscapeDataString(resourceName)),
    ];
}
