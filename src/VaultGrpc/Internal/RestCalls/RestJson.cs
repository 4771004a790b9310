using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// Proto3 JSON in and out of the REST transport, tolerant of unknown fields and unknown <c>Any</c>
/// types. One per client: the types it decodes inside an <c>Any</c> are the client's.
/// </summary>
internal sealed class RestJson
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private readonly JsonParser _parser;

    /// <summary>Decodes the <c>Any</c> types of <paramref name="registry"/>; others become Struct-packed.</summary>
    public RestJson(TypeRegistry registry)
    {
        Types = new PackedTypeLookup(registry);
        _parser = new JsonParser(JsonParser.Settings.Default
            .WithIgnoreUnknownFields(true)
            .WithTypeRegistry(registry));
    }

    /// <summary>Decodes the <see cref="KnownTypes"/> only.</summary>
    public static RestJson Default { get; } = new(KnownTypes.Registry);

    /// <summary>The <c>Any</c> types this instance decodes.</summary>
    public PackedTypeLookup Types { get; }

    /// <summary>The instance for a client that also knows <paramref name="anyTypes"/>.</summary>
    public static RestJson For(IEnumerable<MessageDescriptor> anyTypes)
    {
        TypeRegistry registry = KnownTypes.With(anyTypes);
        return ReferenceEquals(registry, KnownTypes.Registry) ? Default : new RestJson(registry);
    }

    /// <summary>
    /// Parses a UTF-8 JSON body as <typeparamref name="T"/>, with 64-bit integers exact whether
    /// they are sent as strings or as numbers (see <see cref="ExactIntegers"/>).
    /// </summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    /// <exception cref="InvalidProtocolBufferException">The JSON is not a <typeparamref name="T"/>.</exception>
    public T Parse<T>(ReadOnlySpan<byte> utf8Json)
        where T : IMessage<T>, new()
    {
        // Integers a double would misread (beyond 2^53) become strings first, which the parser reads exactly.
        if (ExactIntegers.TryQuote(utf8Json, DocumentOptions.MaxDepth, out byte[]? quoted))
        {
            utf8Json = quoted;
        }

        // A message without message fields (Empty) cannot hold an Any.
        if (!MessageShape<T>.HasMessageFields)
        {
            return _parser.Parse<T>(Encoding.UTF8.GetString(utf8Json));
        }

        // The scan reads with the tree's depth bound; a body it cannot read, or one where a byte splice
        // might differ from the tree walk, takes the tree walk, which then fails or rewrites as it always did.
        if (UnknownAnyScan.TryFindUnknownAnys(utf8Json, MessageShape<T>.Descriptor, DocumentOptions.MaxDepth, Types, out List<Range>? unknownAnys))
        {
            // The common case: no Any needs rewriting, so the parser alone gives what the tree walk would.
            // Otherwise the unknown Anys are wrapped in the bytes, as the tree walk would write them.
            string json = unknownAnys is null ? Encoding.UTF8.GetString(utf8Json) : UnknownAnySplice.Wrap(utf8Json, unknownAnys);
            try
            {
                return _parser.Parse<T>(json);
            }
            catch (Exception ex) when (ex is InvalidProtocolBufferException || (unknownAnys is not null && IsParseFailure(ex)))
            {
                // A body the parser refuses: fail through the tree walk, with the exception it always gave.
            }
        }

        return ParseViaTree<T>(Encoding.UTF8.GetString(utf8Json), MessageShape<T>.Descriptor);
    }

    /// <summary>Parses a JSON node (already rewritten or not) as <typeparamref name="T"/>.</summary>
    public T Parse<T>(JsonNode node)
        where T : IMessage<T>, new()
    {
        JsonNode rewritten = UnknownAnyRewriter.Rewrite(node, MessageShape<T>.Descriptor, Types) ?? node;

        // A node parsed from text writes its numbers back as they were sent, so they can be quoted here.
        byte[] utf8Json = Encoding.UTF8.GetBytes(rewritten.ToJsonString());
        return _parser.Parse<T>(Encoding.UTF8.GetString(ExactIntegers.TryQuote(utf8Json, DocumentOptions.MaxDepth, out byte[]? quoted) ? quoted : utf8Json));
    }

    /// <summary>Parses JSON text into a tree, with the same depth bound as response parsing.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static JsonNode? ParseTree(ReadOnlySpan<byte> utf8Json) =>
        JsonNode.Parse(utf8Json, NodeOptions, DocumentOptions);

    // Unknown Anys become Struct-packed ones in a JSON tree, which is then written out and parsed.
    private T ParseViaTree<T>(string json, MessageDescriptor descriptor)
        where T : IMessage<T>, new()
    {
        JsonNode? root = JsonNode.Parse(json, NodeOptions, DocumentOptions);
        JsonNode? rewritten = UnknownAnyRewriter.Rewrite(root, descriptor, Types);
        return _parser.Parse<T>(rewritten?.ToJsonString() ?? "null");
    }

    private static bool IsParseFailure(Exception ex) =>
        ex is InvalidProtocolBufferException or IOException or FormatException or ArgumentException or InvalidOperationException or OverflowException;

    // Worked out once per message type rather than on every response.
    private static class MessageShape<T>
        where T : IMessage<T>, new()
    {
        public static readonly MessageDescriptor Descriptor = new T().Descriptor;

        public static readonly bool HasMessageFields =
            Descriptor.Fields.InDeclarationOrder().Any(field => field.FieldType == FieldType.Message);
    }
}
