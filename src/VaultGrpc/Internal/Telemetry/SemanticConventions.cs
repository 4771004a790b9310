using System.Globalization;
using Grpc.Core;

namespace VaultGrpc.Internal.Telemetry;

/// <summary>
/// Names from the OpenTelemetry semantic conventions (RPC and gRPC release candidate, HTTP, general
/// <c>error.type</c>) that the client's spans and the <c>rpc.client.call.duration</c> histogram use.
/// </summary>
internal static class SemanticConventions
{
    public const string RpcSystemName = "rpc.system.name";
    public const string RpcMethod = "rpc.method";
    public const string RpcResponseStatusCode = "rpc.response.status_code";
    public const string ErrorType = "error.type";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string HttpRequestMethod = "http.request.method";
    public const string UrlTemplate = "url.template";

    /// <summary>The value of <see cref="RpcSystemName"/> for a call gRPC answered.</summary>
    public const string Grpc = "grpc";

    /// <summary>The conventions' RPC client duration histogram (seconds).</summary>
    public const string RpcClientCallDuration = "rpc.client.call.duration";

    // The names grpc/doc/statuscodes.md gives the codes, indexed by code.
    private static readonly string[] StatusNames =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>
    /// <paramref name="status"/> as <c>rpc.response.status_code</c> (and <c>error.type</c>) give it:
    /// <c>NOT_FOUND</c>, <c>DEADLINE_EXCEEDED</c>…; a code outside gRPC's list as its number.
    /// </summary>
    public static string StatusName(StatusCode status) =>
        (uint)status < (uint)StatusNames.Length ? StatusNames[(int)status] : ((int)status).ToString(CultureInfo.InvariantCulture);
}
