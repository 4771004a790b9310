using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>Proto3 JSON in and out of the REST transport, tolerant of unknown fields and unknown <c>Any</c> types.</summary>
internal static class RestJson
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default
        .WithIgnoreUnknownFields(true)
        .WithTypeRegistry(KnownTypes.Registry));

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>
    /// Parses a UTF-8 JSON body as <typeparamref name="T"/>.
    /// </summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    /// <exception cref="InvalidProtocolBufferException">The JSON is not a <typeparamref name="T"/>.</exception>
    public static T Parse<T>(ReadOnlySpan<byte> utf8Json)
        where T : IMessage<T>, new()
    {
        string json = Encoding.UTF8.GetString(utf8Json);
        var descriptor = new T().Descriptor;

        // A message without message fields (Empty) cannot hold an Any; the others take the tree walk.
        if (HasMessageFields(descriptor))
        {
            JsonNode? root = JsonNode.Parse(json, NodeOptions, DocumentOptions);
            JsonNode? rewritten = UnknownAnyRewriter.Rewrite(root, descriptor, KnownTypes.Registry);
            json = rewritten?.ToJsonString() ?? "null";
        }

        return Parser.Parse<T>(json);
    }

    private static bool HasMessageFields(MessageDescriptor descriptor) =>
        descriptor.Fields.InDeclarationOrder().Any(field => field.FieldType == FieldType.Message);

    /// <summary>Parses a JSON node (already rewritten or not) as <typeparamref name="T"/>.</summary>
    public static T Parse<T>(JsonNode node)
        where T : IMessage<T>, new()
    {
        JsonNode rewritten = UnknownAnyRewriter.Rewrite(node, new T().Descriptor, KnownTypes.Registry) ?? node;
        return Parser.Parse<T>(rewritten.ToJsonString());
    }

    /// <summary>Parses JSON text into a tree, with the same depth bound as response parsing.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static JsonNode? ParseTree(ReadOnlySpan<byte> utf8Json) =>
        JsonNode.Parse(utf8Json, NodeOptions, DocumentOptions);
}
