using System.Text;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>
/// An HTTP/2 response a <see cref="ScriptedH2Peer"/> sends: a header block, DATA frames, and an
/// optional trailer block. With neither DATA nor trailers, the headers end the stream (a gRPC
/// trailers-only answer).
/// </summary>
internal sealed record H2Response(
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<byte[]> Data,
    IReadOnlyList<KeyValuePair<string, string>>? Trailers = null)
{
    /// <summary>The body Envoy sends with its own 503 when the upstream reset after the request reached it.</summary>
    public const string EnvoyResetBeforeHeaders = "upstream connect error or disconnect/reset before headers. reset reason: connection termination";

    public const string GrpcContentType = "application/grpc";

    /// <summary>Where <see cref="GrpcStatusWithHugeHeader"/> puts its oversized header.</summary>
    public enum HugeHeaderPlacement
    {
        ResponseHeaders,
        Trailers,
    }

    /// <summary>A gRPC OK carrying one empty message: a valid <c>google.protobuf.Empty</c> (and an all-defaults message of any type).</summary>
    public static H2Response GrpcOk() => new(
        [Field(":status", "200"), Field("content-type", GrpcContentType)],
        [new byte[5]], // compressed flag 0, length 0
        [Field("grpc-status", "0")]);

    /// <summary>
    /// A trailers-only gRPC answer, as servers send errors: one HEADERS frame with :status 200,
    /// grpc-status, grpc-message (sent as given: percent-encode it yourself) and any extra fields,
    /// e.g. <c>grpc-status-details-bin: !!!not-base64!!!</c>.
    /// </summary>
    public static H2Response GrpcStatus(int code, string message, params KeyValuePair<string, string>[] extraTrailers) => new(
        [Field(":status", "200"), Field("content-type", GrpcContentType), Field("grpc-status", code.ToString(System.Globalization.CultureInfo.InvariantCulture)), Field("grpc-message", message), .. extraTrailers],
        []);

    /// <summary>A non-gRPC answer with a text/plain body, e.g. a gateway's 503.</summary>
    public static H2Response Text(int status, string body, string server = "envoy")
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        return new(
            [Field(":status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)), Field("content-type", "text/plain"), Field("content-length", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), Field("server", server)],
            [bytes]);
    }

    /// <summary>Envoy's 503 when the upstream reset the request before answering it: the request may have been acted on.</summary>
    public static H2Response GatewayResetBeforeHeaders() => Text(503, EnvoyResetBeforeHeaders);

    /// <summary>
    /// A gRPC answer with grpc-status <paramref name="code"/> (headers, no message, trailers) whose
    /// header or trailer block carries an <c>x-padding</c> field of <paramref name="paddingBytes"/>
    /// characters, sent as HEADERS plus CONTINUATION frames.
    /// </summary>
    public static H2Response GrpcStatusWithHugeHeader(int code, int paddingBytes, HugeHeaderPlacement placement)
    {
        KeyValuePair<string, string> padding = Field("x-padding", new string('a', paddingBytes));
        List<KeyValuePair<string, string>> headers = [Field(":status", "200"), Field("content-type", GrpcContentType)];
        List<KeyValuePair<string, string>> trailers = [Field("grpc-status", code.ToString(System.Globalization.CultureInfo.InvariantCulture)), Field("grpc-message", "huge header")];
        (placement == HugeHeaderPlacement.ResponseHeaders ? headers : trailers).Add(padding);
        return new(headers, [], trailers);
    }

    /// <summary>A redirect with no body.</summary>
    public static H2Response Redirect(int status, string location) => new(
        [Field(":status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)), Field("location", location), Field("content-length", "0")],
        []);

    public static KeyValuePair<string, string> Field(string name, string value) => KeyValuePair.Create(name, value);
}
