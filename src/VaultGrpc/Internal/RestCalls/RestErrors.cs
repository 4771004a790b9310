using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// Turns a REST answer that is not a success into the <see cref="RpcException"/> gRPC would have
/// raised: code from the body's status (AIP-193 <c>{"error":{…}}</c> or a bare
/// <c>google.rpc.Status</c>), else from the HTTP status; details in <c>grpc-status-details-bin</c>.
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
    public const int SnippetLength = 200;

    private static readonly Google.Protobuf.Reflection.EnumDescriptor CodeEnum = Google.Rpc.CodeReflection.Descriptor.EnumTypes[0];

    /// <summary>
    /// Reads (a bounded part of) the body and builds the exception; error details are decoded with
    /// <paramref name="json"/>, the client's.
    /// </summary>
    public static async Task<RpcException> FromResponseAsync(HttpResponseMessage response, RestJson json, CancellationToken cancellationToken)
    {
        BoundedBody body = await BoundedBody.ReadAsync(response.Content, MaxErrorBodyBytes, readPrefixWhenTooLong: true, cancellationToken).ConfigureAwait(false);
        return FromResponse(response, body.Span, body.Truncated, json);
    }

    /// <summary>
    /// Builds the exception from a response whose body was already read; error details are decoded
    /// with <paramref name="json"/> (default <see cref="RestJson.Default"/>).
    /// </summary>
    public static RpcException FromResponse(HttpResponseMessage response, ReadOnlySpan<byte> body, bool truncated, RestJson? json = null)
    {
        StatusCode httpCode = HttpStatusMapping.ToStatusCode(response.StatusCode);
        ParsedStatus? parsed = truncated ? null : TryParseStatus(body, json ?? RestJson.Default);
        var trailers = new Metadata();
        AddRetryAfter(response.Headers, trailers);

        if (parsed is { } status)
        {
            StatusCode code = status.Code ?? httpCode;
            string detail = string.IsNullOrWhiteSpace(status.Message) ? Describe(response) : status.Message;

            // Details that cannot be read never change the code: they are dropped, and the message says so.
            if (status.DroppedDetails is { } dropped)
            {
                detail += $" [error details dropped: {dropped}]";
            }

            var rpcStatus = new Google.Rpc.Status { Code = (int)code, Message = detail };
            rpcStatus.Details.AddRange(status.Details);
            trailers.Add(StatusDetailsTrailer, rpcStatus.ToByteArray());
            return new RpcException(new Status(code, detail), trailers);
        }

        string message = $"{Describe(response)} from the REST endpoint{DescribeRedirect(response)}; body{DescribeContentType(response)}: {Snippet(body, truncated)}";
        return new RpcException(new Status(httpCode, message), trailers);
    }

    /// <summary>A short, single-line, trimmed excerpt of a body for messages.</summary>
    public static string Snippet(ReadOnlySpan<byte> body, bool truncated = false)
    {
        if (body.IsEmpty)
        {
            return "(empty)";
        }

        string text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, SnippetLength * 4)]);
        var snippet = new StringBuilder(SnippetLength + 16);
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = snippet.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                snippet.Append(' ');
                pendingSpace = false;
            }

            snippet.Append(c);
            if (snippet.Length >= SnippetLength)
            {
                truncated = true;
                break;
            }
        }

        if (snippet.Length == 0)
        {
            return "(white space only)";
        }

        return truncated || text.Length > snippet.Length + 8 ? "\"" + snippet + "…\"" : "\"" + snippet + "\"";
    }

    /// <summary>"HTTP 404 Not Found".</summary>
    public static string Describe(HttpResponseMessage response)
    {
        string reason = string.IsNullOrWhiteSpace(response.ReasonPhrase) ? response.StatusCode.ToString() : response.ReasonPhrase;
        return string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode} {reason}");
    }

    private static string DescribeContentType(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { Length: > 0 } mediaType ? $" ({mediaType})" : string.Empty;

    private static string DescribeRedirect(HttpResponseMessage response)
    {
        if ((int)response.StatusCode is < 300 or >= 400)
        {
            return string.Empty;
        }

        // The query of a redirect target may carry state; the scheme, host and path say enough.
        Uri? location = response.Headers.Location;
        string target = location is null ? "elsewhere"
            : location.IsAbsoluteUri ? location.GetLeftPart(UriPartial.Path)
            : location.OriginalString.Split('?', '#')[0];
        return $" (a redirect to {target}, which is not followed)";
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

    private static ParsedStatus? TryParseStatus(ReadOnlySpan<byte> body, RestJson json)
    {
        try
        {
            return RestJson.ParseTree(body) is JsonObject root ? ReadStatus(root, json) : null;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            // Not JSON, or an object with a repeated key (JsonObject throws ArgumentException on its
            // first use): no status can be trusted, so the HTTP status decides.
            return null;
        }
    }

    private static ParsedStatus? ReadStatus(JsonObject root, RestJson json)
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
    private static IReadOnlyList<Google.Protobuf.WellKnownTypes.Any> ParseDetails(JsonNode? details, RestJson json, out string? dropped)
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
            return json.Parse<Google.Rpc.Status>(holder).Details;
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
