using System.Text.Json;

namespace VaultGrpc.Testing.Internal;

/// <summary>Tells a REST body's <see cref="RequestBodyShape"/>, and the first field of an object that has some.</summary>
internal static class BodyShapeReader
{
    public static (RequestBodyShape Shape, string? FirstField) Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return (RequestBodyShape.None, null);
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (RequestBodyShape.Other, null);
            }

            if (!reader.Read())
            {
                return (RequestBodyShape.Other, null);
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                // Nothing may follow the object but white space.
                return reader.Read() ? (RequestBodyShape.Other, null) : (RequestBodyShape.EmptyObject, null);
            }

            string? field = reader.TokenType == JsonTokenType.PropertyName ? reader.GetString() : null;
            using JsonDocument whole = JsonDocument.Parse(body.ToArray());
            return (RequestBodyShape.Fields, field);
        }
        catch (JsonException)
        {
            return (RequestBodyShape.Other, null);
        }
    }
}
