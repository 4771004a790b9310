using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace VaultGrpc.Internal.Lifecycle;

/// <summary>
/// Unpacks an operation's <c>Any</c> into the type a caller expects, matching the type URL on the
/// full message name whatever its host prefix (<c>type.googleapis.com/</c> or any other). A REST
/// answer of a type the client was not told of arrives as a <c>Struct</c> holding the JSON with its
/// <c>@type</c>: when that names the expected type, the JSON is read into it (int64 values arrive
/// there as exact digit strings, which the JSON reader takes).
/// </summary>
internal static class TypedAny
{
    /// <summary>The message in <paramref name="any"/> as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">It holds another type; the message names both.</exception>
    public static T Unpack<T>(Any any, string operationName, string what)
        where T : class, IMessage<T>, new()
    {
        string expected = new T().Descriptor.FullName;
        string actual = Any.GetTypeName(any.TypeUrl);
        if (actual == expected)
        {
            var message = new T();
            message.MergeFrom(any.Value);
            return message;
        }

        if (actual == Struct.Descriptor.FullName && UnregisteredJson(any) is { } json && json.TypeName == expected)
        {
            // Read back as the Any's own JSON form, so that well-known types ({"@type", "value"}) read right too.
            var parser = new JsonParser(JsonParser.Settings.Default
                .WithIgnoreUnknownFields(true)
                .WithTypeRegistry(TypeRegistry.FromMessages(new T().Descriptor)));
            var message = new T();
            message.MergeFrom(parser.Parse<Any>(json.Json).Value);
            return message;
        }

        throw new InvalidOperationException($"The {what} of operation {operationName} is a {actual}, not a {expected}.");
    }

    /// <summary>The JSON of an unknown type kept in a Struct (its <c>@type</c> included), and that type's name.</summary>
    private static (string TypeName, string Json)? UnregisteredJson(Any any)
    {
        Struct kept = Struct.Parser.ParseFrom(any.Value);
        return kept.Fields.TryGetValue("@type", out Value? typeUrl) && typeUrl.KindCase == Value.KindOneofCase.StringValue
            ? (Any.GetTypeName(typeUrl.StringValue), JsonFormatter.Default.Format(kept))
            : null;
    }
}
