using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// Proto3 JSON answers (and error details) into messages of any type: Google.Protobuf's parser with
/// the caller's <see cref="TypeRegistry"/> first; only when it refuses the body (an <c>Any</c> of a
/// type the registry lacks), or reads an <c>Any</c> without <c>@type</c> as empty, are unknown
/// <c>Any</c> values rewritten to Struct-packed ones (<see cref="UnknownAnyRewriter"/>) and the body
/// parsed again. Unknown fields are ignored.
/// </summary>
internal sealed class RestMessageJson
{
    private const int MaxDepth = 64;

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    private readonly JsonParser _parser;
    private readonly TypeRegistry _registry;

    /// <summary>Decodes the <c>Any</c> types of <paramref name="registry"/>.</summary>
    public RestMessageJson(TypeRegistry registry)
    {
        _registry = registry;
        _parser = new JsonParser(JsonParser.Settings.Default.WithIgnoreUnknownFields(true).WithTypeRegistry(registry));
    }

    /// <summary>Decodes the <see cref="KnownTypes"/> only.</summary>
    public static RestMessageJson Default { get; } = new(KnownTypes.Registry);

    /// <summary>Parses a UTF-8 JSON body as a <paramref name="descriptor"/> message, 64-bit integers exact.</summary>
    /// <exception cref="IOException">The body is not JSON (the parser's InvalidJsonException).</exception>
    /// <exception cref="InvalidProtocolBufferException">The JSON is not such a message.</exception>
    /// <exception cref="JsonException">The rewrite needed the tree, and the body is deeper than 64 levels.</exception>
    /// <exception cref="ArgumentException">The rewrite needed the tree, and an object repeats a key.</exception>
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
            if (!UntypedAnyDetector.Contains(message, _registry))
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

        JsonNode? root = JsonNode.Parse(json, NodeOptions, DocumentOptions);
        JsonNode? rewritten = UnknownAnyRewriter.Rewrite(root, descriptor, _registry);
        return _parser.Parse(rewritten?.ToJsonString() ?? "null", descriptor);
    }

    /// <summary>
    /// Parses a JSON tree (error details, already read as one) as a <paramref name="descriptor"/>
    /// message: with the tree at hand, unknown <c>Any</c> values are rewritten first; 64-bit integers exact.
    /// </summary>
    /// <exception cref="InvalidProtocolBufferException">The JSON is not such a message.</exception>
    /// <exception cref="ArgumentException">An object repeats a key (JsonObject throws on its first use).</exception>
    public IMessage Parse(JsonNode node, MessageDescriptor descriptor)
    {
        JsonNode rewritten = UnknownAnyRewriter.Rewrite(node, descriptor, _registry) ?? node;

        // A node parsed from text writes its numbers back as they were sent, so they can be quoted here.
        byte[] utf8Json = Encoding.UTF8.GetBytes(rewritten.ToJsonString());
        return _parser.Parse(Encoding.UTF8.GetString(ExactIntegers.TryQuote(utf8Json, MaxDepth, out byte[]? quoted) ? quoted : utf8Json), descriptor);
    }

    /// <summary>Parses JSON text into a tree, with the same depth bound as message parsing.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static JsonNode? ParseTree(ReadOnlySpan<byte> utf8Json) =>
        JsonNode.Parse(utf8Json, NodeOptions, DocumentOptions);
}
