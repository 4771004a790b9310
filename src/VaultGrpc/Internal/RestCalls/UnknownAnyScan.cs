using System.Text.Json;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// Finds, in one forward pass over the bytes and without building a tree, every <c>Any</c> that
/// <see cref="UnknownAnyRewriter"/> would replace (unknown, untyped or non-string <c>@type</c>): it
/// walks the JSON along the message schema exactly as the rewriter walks the tree. Wrapping those
/// byte ranges (see <see cref="UnknownAnySplice"/>) gives the JSON the tree walk would write.
/// </summary>
/// <remarks>
/// Keep the two in step: every rule of the rewriter has its mirror here. Wherever the tree walk
/// might behave differently from a byte splice (a repeated key it would throw on, an escaped key),
/// the scan says so and the caller takes the tree walk.
/// </remarks>
internal static class UnknownAnyScan
{
    private const int NameBufferLength = 128;
    private const int MaxCheckedKeys = 32;

    /// <summary>
    /// True when <paramref name="utf8Json"/> is JSON no deeper than <paramref name="maxDepth"/> in which
    /// every <c>Any</c> reachable from <paramref name="descriptor"/> is one the rewriter leaves as it is.
    /// False when a rewrite is needed or the body cannot be read (the tree walk then reports it).
    /// </summary>
    public static bool NothingToRewrite(ReadOnlySpan<byte> utf8Json, MessageDescriptor descriptor, int maxDepth, PackedTypeLookup types) =>
        TryFindUnknownAnys(utf8Json, descriptor, maxDepth, types, out List<Range>? unknownAnys) && unknownAnys is null;

    /// <summary>
    /// True when the body can be read without the tree walk; then <paramref name="unknownAnys"/> holds
    /// the byte ranges of the <c>Any</c> objects the rewriter would replace, in order and not
    /// overlapping, or null when there is none. False when the body must take the tree walk (which
    /// then rewrites it, or fails as it always did).
    /// </summary>
    public static bool TryFindUnknownAnys(
        ReadOnlySpan<byte> utf8Json, MessageDescriptor descriptor, int maxDepth, PackedTypeLookup types, out List<Range>? unknownAnys)
    {
        unknownAnys = null;
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            if (!reader.Read() || !ScanMessage(ref reader, descriptor, types, ref unknownAnys))
            {
                unknownAnys = null;
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
            unknownAnys = null;
            return false;
        }
    }

    // On entry the reader is on the value's first token; on a true return, on its last token.
    // False: the body must take the tree walk.
    private static bool ScanMessage(ref Utf8JsonReader reader, MessageDescriptor descriptor, PackedTypeLookup types, ref List<Range>? unknownAnys)
    {
        if (descriptor.FullName == Any.Descriptor.FullName)
        {
            return ScanAny(ref reader, types, ref unknownAnys);
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

            if (!ScanField(ref reader, field, types, ref unknownAnys))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ScanField(ref Utf8JsonReader reader, FieldDescriptor field, PackedTypeLookup types, ref List<Range>? unknownAnys)
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
                if (!ScanMessage(ref reader, mapValue.MessageType, types, ref unknownAnys))
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
                if (!ScanMessage(ref reader, field.MessageType, types, ref unknownAnys))
                {
                    return false;
                }
            }

            return true;
        }

        return ScanMessage(ref reader, field.MessageType, types, ref unknownAnys);
    }

    private static bool ScanAny(ref Utf8JsonReader reader, PackedTypeLookup types, ref List<Range>? unknownAnys)
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
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                typeUrl = reader.GetString();
            }
            else
            {
                // Not the type, or a type that is not a string (the rewriter then finds no type).
                reader.Skip();
            }
        }

        if (properties == 0)
        {
            return true;
        }

        MessageDescriptor? packed = typeUrl is null ? null : types.Find(typeUrl);
        if (packed is null)
        {
            return RecordUnknownAny(ref reader, start, ref unknownAnys);
        }

        // Second pass over the same object, now that its type is known.
        reader = start;
        if (packed.FullName != Any.Descriptor.FullName)
        {
            return ScanMessage(ref reader, packed, types, ref unknownAnys);
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
            else if (!ScanAny(ref reader, types, ref unknownAnys))
            {
                return false;
            }
        }

        return true;
    }

    // The reader is on the unknown Any's closing brace. The rewriter copies the whole object under
    // "value"; a repeated or escaped key anywhere inside sends the body through the tree walk, so
    // that the copy never has to match how the tree treats such keys.
    private static bool RecordUnknownAny(ref Utf8JsonReader reader, Utf8JsonReader start, ref List<Range>? unknownAnys)
    {
        int end = checked((int)reader.BytesConsumed);
        Utf8JsonReader inside = start;
        if (!HasOnlyPlainDistinctKeys(ref inside))
        {
            return false;
        }

        (unknownAnys ??= []).Add(new Range(checked((int)start.TokenStartIndex), end));
        return true;
    }

    private static bool HasOnlyPlainDistinctKeys(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (!HasOnlyPlainDistinctKeys(ref reader))
                {
                    return false;
                }
            }

            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
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
            if (!HasOnlyPlainDistinctKeys(ref reader))
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
