using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// Makes proto3 JSON parseable when it holds an <c>Any</c> of a type the client does not know
/// (Vault's own metadata types, for example): such an <c>Any</c> is replaced, in the JSON tree,
/// by an <c>Any</c> packing a <see cref="Struct"/> that holds the original object, its
/// <c>@type</c> included. Google.Protobuf's parser would otherwise fail the whole response.
/// </summary>
/// <remarks>
/// The caller reads such a payload with <c>any.Unpack&lt;Struct&gt;()</c> (or JsonFormatter):
/// <c>fields["@type"]</c> names the original type and the other fields are its JSON. Numbers become
/// doubles there, as Struct has no integers.
/// </remarks>
internal static class UnknownAnyRewriter
{
    private static readonly string StructTypeUrl = "type.googleapis.com/" + Struct.Descriptor.FullName;
    private static readonly ConcurrentDictionary<MessageDescriptor, Dictionary<string, FieldDescriptor>> FieldsByJsonKey = new();

    /// <summary>Rewrites <paramref name="root"/> in place; returns the node to parse (a new one when the root itself was replaced).</summary>
    public static JsonNode? Rewrite(JsonNode? root, MessageDescriptor descriptor, TypeRegistry types) =>
        RewriteMessage(root, descriptor, types) ?? root;

    // Returns a replacement for node, or null when node stays (possibly changed inside).
    private static JsonNode? RewriteMessage(JsonNode? node, MessageDescriptor descriptor, TypeRegistry types)
    {
        if (descriptor.FullName == Any.Descriptor.FullName)
        {
            return RewriteAny(node, types);
        }

        // Other well-known types have their own JSON forms, none of which can hold an Any.
        if (node is not JsonObject message || descriptor.File.Package == "google.protobuf")
        {
            return null;
        }

        Dictionary<string, FieldDescriptor> fields = FieldsOf(descriptor);
        foreach (string key in message.Select(p => p.Key).ToList())
        {
            if (!fields.TryGetValue(key, out FieldDescriptor? field) || field.FieldType != FieldType.Message)
            {
                continue;
            }

            RewriteField(message, key, field, types);
        }

        return null;
    }

    private static void RewriteField(JsonObject message, string key, FieldDescriptor field, TypeRegistry types)
    {
        JsonNode? value = message[key];
        if (field.IsMap)
        {
            FieldDescriptor mapValue = field.MessageType.FindFieldByNumber(2);
            if (mapValue.FieldType == FieldType.Message && value is JsonObject map)
            {
                foreach (string entryKey in map.Select(p => p.Key).ToList())
                {
                    if (RewriteMessage(map[entryKey], mapValue.MessageType, types) is { } replacement)
                    {
                        map[entryKey] = replacement;
                    }
                }
            }
        }
        else if (field.IsRepeated)
        {
            if (value is JsonArray items)
            {
                for (int i = 0; i < items.Count; i++)
                {
                    if (RewriteMessage(items[i], field.MessageType, types) is { } replacement)
                    {
                        items[i] = replacement;
                    }
                }
            }
        }
        else if (RewriteMessage(value, field.MessageType, types) is { } replacement)
        {
            message[key] = replacement;
        }
    }

    private static JsonNode? RewriteAny(JsonNode? node, TypeRegistry types)
    {
        // Not an object (null, or garbage the parser will reject with a clear error), or "{}".
        if (node is not JsonObject any || any.Count == 0)
        {
            return null;
        }

        MessageDescriptor? packed = TryFindPackedType(any, types);
        if (packed is null)
        {
            return new JsonObject
            {
                ["@type"] = StructTypeUrl,
                ["value"] = any.DeepClone(),
            };
        }

        if (packed.FullName == Any.Descriptor.FullName)
        {
            // An Any inside an Any keeps the inner one under "value", as for any well-known type.
            if (RewriteAny(any["value"], types) is { } replacement)
            {
                any["value"] = replacement;
            }

            return null;
        }

        return RewriteMessage(any, packed, types);
    }

    // The type name is what follows the URL's last '/', as the parser reads it; a URL without one names none.
    private static MessageDescriptor? TryFindPackedType(JsonObject any, TypeRegistry types) =>
        any.TryGetPropertyValue("@type", out JsonNode? typeNode)
            && typeNode is JsonValue typeValue
            && typeValue.TryGetValue(out string? typeUrl)
            && Any.GetTypeName(typeUrl) is { Length: > 0 } typeName
            ? types.Find(typeName)
            : null;

    // The fields of a message by every key the parser accepts for them; built once per type.
    private static Dictionary<string, FieldDescriptor> FieldsOf(MessageDescriptor descriptor) =>
        FieldsByJsonKey.GetOrAdd(descriptor, IndexFields);

    private static Dictionary<string, FieldDescriptor> IndexFields(MessageDescriptor descriptor)
    {
        // The parser accepts both the JSON name and the proto name of a field.
        var index = new Dictionary<string, FieldDescriptor>(StringComparer.Ordinal);
        foreach (FieldDescriptor field in descriptor.Fields.InDeclarationOrder())
        {
            index.TryAdd(field.JsonName, field);
            index.TryAdd(field.Name, field);
        }

        return index;
    }
}
