using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using VaultGrpc.Internal.Text;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// Turns a REST answer that is not a success into the <see cref="RpcException"/> gRPC would have
/// raised: code from the body's status (AIP-193 <c>{"error":{…}}</c> or a bare
/// <c>google.rpc.Status</c>), else from the HTTP status; details in <c>grpc-status-details-bin</c>.
/// Every text the server supplied (message, body snippet, reason phrase, media type, redirect
/// target) goes through <see cref="ServerText"/>: redacted whole, then made one line, then cut.
/// </summary>
internal static class RestErrors
{
    /// <summary>The trailer Grpc.StatusProto's <c>GetRpcStatus()</c> reads.</summary>
    public const string StatusDetailsTrailer = "grpc-status-details-bin";

    /// <summary>The trailer carrying a 429/503 answer's Retry-After, as sent.</summary>
    public const string RetryAfterTrailer = "retry-after";

    /// <summary>Most of an error body that is read; rich error details fit well within it.</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Longest snippet of a body quoted in a message.</summary>
    public const int SnippetLength = ServerText.SnippetLength;

    // A reason phrase or a media type is short; anything longer is cut.
    private const int ShortTextLength = 100;

    private static readonly Google.Protobuf.Reflection.EnumDescriptor CodeEnum = Google.Rpc.CodeReflection.Descriptor.EnumTypes[0];

    /// <summary>
    /// Reads (a bounded part of) the body and builds the exception; error details are decoded with
    /// <paramref name="json"/>, the client's; <paramref name="knownSecrets"/> (the client's tokens)
    /// are masked wherever the server's text quotes them.
    /// </summary>
    public static async Task<RpcException> FromResponseAsync(HttpResponseMessage response, RestMessageJson json, IReadOnlyList<string>? knownSecrets, CancellationToken cancellationToken)
    {
        BoundedBody body;
        try
        {
            body = await BoundedBody.ReadAsync(response.Content, MaxErrorBodyBytes, readPrefixWhenTooLong: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException)
        {
            // A body that cannot be decoded (gzip and deflate say InvalidDataException, brotli
            // InvalidOperationException) says nothing more than its HTTP status does.
            return FromResponse(response, ReadOnlySpan<byte>.Empty, truncated: false, json, knownSecrets);
        }

        return FromResponse(response, body.Span, body.Truncated, json, knownSecrets);
    }

    /// <summary>
    /// Builds the exception from a response whose body was already read; error details are decoded
    /// with <paramref name="json"/> (default <see cref="RestMessageJson.Default"/>); <paramref name="knownSecrets"/>
    /// are masked in every text the server supplied.
    /// </summary>
    public static RpcException FromResponse(HttpResponseMessage response, ReadOnlySpan<byte> body, bool truncated, RestMessageJson? json = null, IReadOnlyList<string>? knownSecrets = null)
    {
        StatusCode httpCode = HttpStatusMapping.ToStatusCode(response.StatusCode);
        ParsedStatus? parsed = truncated ? null : TryParseStatus(body, json ?? RestMessageJson.Default);
        var trailers = new Metadata();
        AddRetryAfter(response.Headers, trailers);

        if (parsed is { } status)
        {
            StatusCode code = status.Code ?? httpCode;
            // The message as parsed (JSON escapes already decoded), redacted before it is cut or encoded again.
            string message = ServerText.Snippet(status.Message, ServerText.MessageLength, knownSecrets);
            string detail = message.Length == 0 ? Describe(response, knownSecrets) : message;

            // Details that cannot be read never change the code: they are dropped, and the message says so.
            if (status.DroppedDetails is { } dropped)
            {
                detail += $" [error details dropped: {ServerText.OneLine(dropped, knownSecrets)}]";
            }

            var rpcStatus = new Google.Rpc.Status { Code = (int)code, Message = detail };
            rpcStatus.Details.AddRange(status.Details);
            trailers.Add(StatusDetailsTrailer, rpcStatus.ToByteArray());
            return new RpcException(new Status(code, detail), trailers);
        }

        string text = $"{Describe(response, knownSecrets)} from the REST endpoint{DescribeRedirect(response, knownSecrets)}; body{DescribeContentType(response, knownSecrets)}: {Snippet(body, truncated, knownSecrets)}";
        return new RpcException(new Status(httpCode, text), trailers);
    }

    /// <summary>
    /// A short, single-line, trimmed excerpt of a body for messages, in quotes, with secrets masked
    /// (<see cref="ServerText.Snippet"/> over up to <see cref="ServerText.MaxInputLength"/> characters,
    /// so that redaction sees far more than the snippet keeps); <c>(empty)</c> or <c>(white space only)</c>.
    /// </summary>
    public static string Snippet(ReadOnlySpan<byte> body, bool truncated = false, IReadOnlyList<string>? knownSecrets = null)
    {
        if (body.IsEmpty)
        {
            return "(empty)";
        }

        // Bytes beyond this cannot change a 200-character snippet, unless all white space.
        int decoded = Math.Min(body.Length, ServerText.MaxInputLength);
        string snippet = ServerText.Snippet(Encoding.UTF8.GetString(body[..decoded]), SnippetLength, knownSecrets);
        if (snippet.Length == 0)
        {
            return "(white space only)";
        }

        bool cut = truncated || decoded < body.Length;
        return cut && !snippet.EndsWith(ServerText.Ellipsis) ? "\"" + snippet + ServerText.Ellipsis + "\"" : "\"" + snippet + "\"";
    }

    /// <summary>"HTTP 404 Not Found"; the reason phrase is the server's text, so it is made safe too.</summary>
    public static string Describe(HttpResponseMessage response, IReadOnlyList<string>? knownSecrets = null)
    {
        string reason = ServerText.Snippet(response.ReasonPhrase, ShortTextLength, knownSecrets);
        if (reason.Length == 0)
        {
            reason = response.StatusCode.ToString();
        }

        return string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode} {reason}");
    }

    private static string DescribeContentType(HttpResponseMessage response, IReadOnlyList<string>? knownSecrets) =>
        ServerText.Snippet(response.Content.Headers.ContentType?.MediaType, ShortTextLength, knownSecrets) is { Length: > 0 } mediaType
            ? $" ({mediaType})"
            : string.Empty;

    private static string DescribeRedirect(HttpResponseMessage response, IReadOnlyList<string>? knownSecrets)
    {
        if ((int)response.StatusCode is < 300 or >= 400)
        {
            return string.Empty;
        }

        // The query of a redirect target may carry state; the scheme, host and path say enough.
        Uri? location = response.Headers.Location;
        string target = location is null ? "elsewhere"
            : location.IsAbsoluteUri ? EndpointText.Masked(location.GetLeftPart(UriPartial.Path))
            : location.OriginalString.Split('?', '#')[0];
        return $" (a redirect to {ServerText.Snippet(target, SnippetLength, knownSecrets)}, which is not followed)";
    }

    private static void AddRetryAfter(HttpResponseHeaders headers, Metadata trailers)
    {
        if (headers.TryGetValues("Retry-After", out IEnumerable<string>? values)
            && values.FirstOrDefault() is { Length: > 0 and <= 100 } value
            && value.All(c => c is >= ' ' and <= '~'))
        {
            trailers.Add(RetryAfterTrailer, value);
        }
    }

    private static ParsedStatus? TryParseStatus(ReadOnlySpan<byte> body, RestMessageJson json)
    {
        try
        {
            return RestMessageJson.ParseTree(body) is JsonObject root ? ReadStatus(root, json) : null;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            // Not JSON, or an object with a repeated key (JsonObject throws ArgumentException on its
            // first use): no status can be trusted, so the HTTP status decides.
            return null;
        }
    }

    private static ParsedStatus? ReadStatus(JsonObject root, RestMessageJson json)
    {
        // AIP-193: {"error": {"code": <HTTP>, "message", "status": "NOT_FOUND", "details"}}.
        if (root["error"] is JsonObject error)
        {
            IReadOnlyList<Google.Protobuf.WellKnownTypes.Any> details = ParseDetails(error["details"], json, out string? dropped);
            return new ParsedStatus(CodeFromName(StringOf(error["status"])), StringOf(error["message"]), details, dropped);
        }

        // A bare google.rpc.Status: {"code": <gRPC code>, "message", "details"}.
        if (root.ContainsKey("code") || root.ContainsKey("message"))
        {
            JsonNode? codeNode = root["code"];
            StatusCode? code = CodeFromNumber(codeNode) ?? CodeFromName(StringOf(codeNode));
            IReadOnlyList<Google.Protobuf.WellKnownTypes.Any> details = ParseDetails(root["details"], json, out string? dropped);
            return new ParsedStatus(code, StringOf(root["message"]), details, dropped);
        }

        return null;
    }

    // Null or absent details are none; anything else that cannot be read is dropped with a reason
    // of our own words (the parser's message may quote server text).
    private static IReadOnlyList<Google.Protobuf.WellKnownTypes.Any> ParseDetails(JsonNode? details, RestMessageJson json, out string? dropped)
    {
        dropped = null;
        if (details is null)
        {
            return [];
        }

        if (details is not JsonArray array)
        {
            dropped = $"'details' is a JSON {details.GetValueKind().ToString().ToLowerInvariant()}, not an array";
            return [];
        }

        if (array.Count == 0)
        {
            return [];
        }

        try
        {
            // Unknown detail types become Struct-packed Any values, so one odd detail costs nothing else.
            var holder = new JsonObject { ["details"] = array.DeepClone() };
            return ((Google.Rpc.Status)json.Parse(holder, Google.Rpc.Status.Descriptor)).Details;
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or JsonException or IOException or FormatException
            or InvalidOperationException or ArgumentException or OverflowException)
        {
            dropped = $"{array.Count} could not be decoded as google.protobuf.Any values ({ex.GetType().Name})";
            return [];
        }
    }

    private static StatusCode? CodeFromNumber(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out int number) && number is > 0 and <= (int)StatusCode.Unauthenticated
            ? (StatusCode)number
            : null;

    // OK is not an error code: such a body is treated as naming no code.
    private static StatusCode? CodeFromName(string? name) =>
        name is null ? null
        : CodeEnum.FindValueByName(name) is { Number: > 0 and <= (int)StatusCode.Unauthenticated } value ? (StatusCode)value.Number
        : null;

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private readonly record struct ParsedStatus(
        StatusCode? Code, string? Message, IReadOnlyList<Google.Protobuf.WellKnownTypes.Any> Details, string? DroppedDetails);
}
