using System.Text.Json;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// Answers, in one forward pass over the bytes and without building a tree, whether
/// <see cref="UnknownAnyRewriter"/> would change anything in a body: it walks the JSON along the
/// message schema exactly as the rewriter walks the tree, and stops at the first <c>Any</c> the
/// rewriter would replace (unknown or missing <c>@type</c>).
/// </summary>
/// <remarks>Keep the two in step: every rule of the rewriter has its mirror here.</remarks>
internal static class UnknownAnyScan
{
    private const int NameBufferLength = 128;
    private const int MaxCheckedKeys = 32;

    /// <summary>
    /// True when <paramref name="utf8Json"/> is JSON no deeper than <paramref name="maxDepth"/> in which
    /// every <c>Any</c> reachable from <paramref name="descriptor"/> is one the rewriter leaves as it is.
    /// False when a rewrite is needed or the body cannot be read (the tree walk then reports it).
    /// </summary>
    public static bool NothingToRewrite(ReadOnlySpan<byte> utf8Json, MessageDescriptor descriptor, int maxDepth, PackedTypeLookup types)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            if (!reader.Read() || !MessageIsClean(ref reader, descriptor, types))
            {
                return false;
            }

            // Reading on to the end validates what follows the value, as the tree parse does.
            while (reader.Read())
            {
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    // On entry the reader is on the value's first token; on a true return, on its last token.
    private static bool MessageIsClean(ref Utf8JsonReader reader, MessageDescriptor descriptor, PackedTypeLookup types)
    {
        if (descriptor.FullName == Any.Descriptor.FullName)
        {
            return AnyIsClean(ref reader, types);
        }

        if (reader.TokenType != JsonTokenType.StartObject || descriptor.File.Package == "google.protobuf")
        {
            reader.Skip();
            return true;
        }

        Dictionary<string, FieldDescriptor> fields = UnknownAnyRewriter.FieldsOf(descriptor);
        Dictionary<string, FieldDescriptor>.AlternateLookup<ReadOnlySpan<char>> fieldsBySpan = fields.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> nameBuffer = stackalloc char[NameBufferLength];
        Span<int> seenKeys = stackalloc int[MaxCheckedKeys];
        int seenCount = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!IsFirstOccurrence(reader, seenKeys, ref seenCount))
            {
                return false;
            }

            // A UTF-8 name never has more UTF-16 units than bytes: a name whose bytes fit is looked up without a string.
            FieldDescriptor? field;
            bool found = !reader.HasValueSequence && reader.ValueSpan.Length <= nameBuffer.Length
                ? fieldsBySpan.TryGetValue(nameBuffer[..reader.CopyString(nameBuffer)], out field)
                : fields.TryGetValue(reader.GetString()!, out field);
            reader.Read();
            if (!found || field!.FieldType != FieldType.Message)
            {
                reader.Skip();
                continue;
            }

            if (!FieldIsClean(ref reader, field, types))
            {
                return false;
            }
        }

        return true;
    }

    private static bool FieldIsClean(ref Utf8JsonReader reader, FieldDescriptor field, PackedTypeLookup types)
    {
        if (field.IsMap)
        {
            FieldDescriptor mapValue = field.MessageType.FindFieldByNumber(2);
            if (mapValue.FieldType != FieldType.Message || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return true;
            }

            Span<int> seenKeys = stackalloc int[MaxCheckedKeys];
            int seenCount = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!IsFirstOccurrence(reader, seenKeys, ref seenCount))
                {
                    return false;
                }

                reader.Read();
                if (!MessageIsClean(ref reader, mapValue.MessageType, types))
                {
                    return false;
                }
            }

            return true;
        }

        if (field.IsRepeated)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return true;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (!MessageIsClean(ref reader, field.MessageType, types))
                {
                    return false;
                }
            }

            return true;
        }

        return MessageIsClean(ref reader, field.MessageType, types);
    }

    private static bool AnyIsClean(ref Utf8JsonReader reader, PackedTypeLookup types)
    {
        // null or garbage: the rewriter leaves it and the parser judges it.
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return true;
        }

        // First pass: find "@type" among the Any's own properties, wherever it stands.
        Utf8JsonReader start = reader;
        int properties = 0;
        string? typeUrl = null;
        Span<int> seenKeys = stackalloc int[MaxCheckedKeys];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!IsFirstOccurrence(reader, seenKeys, ref properties))
            {
                return false;
            }

            bool isType = reader.ValueTextEquals("@type"u8);
            reader.Read();
            if (!isType)
            {
                reader.Skip();
            }
            else if (typeUrl is not null || reader.TokenType != JsonTokenType.String)
            {
                return false;
            }
            else
            {
                typeUrl = reader.GetString();
            }
        }

        if (properties == 0)
        {
            return true;
        }

        MessageDescriptor? packed = typeUrl is null ? null : types.Find(typeUrl);
        if (packed is null)
        {
            return false;
        }

        // Second pass over the same object, now that its type is known.
        reader = start;
        if (packed.FullName != Any.Descriptor.FullName)
        {
            return MessageIsClean(ref reader, packed, types);
        }

        // An Any inside an Any sits under "value".
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isValue = reader.ValueTextEquals("value"u8);
            reader.Read();
            if (!isValue)
            {
                reader.Skip();
            }
            else if (!AnyIsClean(ref reader, types))
            {
                return false;
            }
        }

        return true;
    }

    // The tree parse throws on a repeated key in every object the rewriter opens (messages, Anys, maps);
    // such a body must take the tree walk to fail as it always did. Keys are compared by a hash of
    // their raw bytes: a collision, an escaped key or a very wide object only costs the tree walk.
    // Counts the key when it is (provably) new.
    private static bool IsFirstOccurrence(in Utf8JsonReader reader, Span<int> seen, ref int count)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || count == seen.Length)
        {
            return false;
        }

        var hash = default(HashCode);
        hash.AddBytes(reader.ValueSpan);
        int keyHash = hash.ToHashCode();
        if (seen[..count].Contains(keyHash))
        {
            return false;
        }

        seen[count++] = keyHash;
        return true;
    }
}
