using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using VaultGrpc.Internal.RestCalls;

namespace VaultGrpc.Invokers.Rest;

/// <summary>
/// Proto3 JSON answers into messages of any type: Google.Protobuf's parser with the caller's
/// <see cref="TypeRegistry"/> first; only when it refuses the body (an <c>Any</c> of a type the
/// registry lacks), or reads an <c>Any</c> without <c>@type</c> as empty, are unknown <c>Any</c>
/// values rewritten to Struct-packed ones (<see cref="UnknownAnyRewriter"/>) and the body parsed
/// again. Unknown fields are ignored.
/// </summary>
internal sealed class RestMessageJson
{
    private const int MaxDepth = 64;

    private readonly JsonParser _parser;
    private readonly PackedTypeLookup _types;

    /// <summary>Decodes the <c>Any</c> types of <paramref name="registry"/>.</summary>
    public RestMessageJson(TypeRegistry registry)
    {
        _parser = new JsonParser(JsonParser.Settings.Default.WithIgnoreUnknownFields(true).WithTypeRegistry(registry));
        _types = new PackedTypeLookup(registry);
        ErrorJson = new RestJson(registry);
    }

    /// <summary>The reader of error details, with the same registry.</summary>
    public RestJson ErrorJson { get; }

    /// <summary>Parses a UTF-8 JSON body as a <paramref name="descriptor"/> message, 64-bit integers exact.</summary>
    /// <exception cref="JsonException">The body is not JSON (only seen when the first parse failed).</exception>
    /// <exception cref="InvalidProtocolBufferException">The JSON is not such a message.</exception>
    public IMessage Parse(ReadOnlySpan<byte> utf8Json, MessageDescriptor descriptor)
    {
        // Integers a double would misread (beyond 2^53) become strings first, which the parser reads exactly.
        if (ExactIntegers.TryQuote(utf8Json, MaxDepth, out byte[]? quoted))
        {
            utf8Json = quoted;
        }

        string json = Encoding.UTF8.GetString(utf8Json);
        try
        {
            IMessage message = _parser.Parse(json, descriptor);

            // The parser reads an Any without @type as an empty one, its payload gone: the rewrite keeps it.
            if (!UntypedAnyDetector.Contains(message, _types.Registry))
            {
                return message;
            }
        }
        catch (InvalidOperationException)
        {
            // The registry lacks an Any's type (the one failure the rewrite can mend): rewrite and try once more.
        }
        catch (InvalidProtocolBufferException)
        {
            // Some versions report an unknown Any type this way; the rewrite leaves other faults as they were.
        }

        JsonNode? root = JsonNode.Parse(json, new JsonNodeOptions { PropertyNameCaseInsensitive = false }, new JsonDocumentOptions { MaxDepth = MaxDepth });
        JsonNode? rewritten = UnknownAnyRewriter.Rewrite(root, descriptor, _types);
        return _parser.Parse(rewritten?.ToJsonString() ?? "null", descriptor);
    }
}
