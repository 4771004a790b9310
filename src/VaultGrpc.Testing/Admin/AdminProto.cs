using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace VaultGrpc.Testing.Admin;

/// <summary>Proto3 JSON in admin requests, parsed with the fake's type registry; parser errors become 400s naming the field.</summary>
internal static class AdminProto
{
    public static T Parse<T>(JsonParser parser, JsonElement element, string field)
        where T : IMessage, new()
    {
        try
        {
            return parser.Parse<T>(element.GetRawText());
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or InvalidOperationException or FormatException)
        {
            // The registry lacks the @type (InvalidOperationException), or the JSON does not fit the message.
            throw new AdminInputException(field, $"{field}: {e.Message}");
        }
    }

    public static Any ParseAny(JsonParser parser, JsonElement element, string field)
    {
        AdminJsonReader.ExpectObject(element, field);
        if (!element.TryGetProperty("@type", out JsonElement type) || type.ValueKind != JsonValueKind.String)
        {
            throw new AdminInputException(field, $"{field}: expected an object with \"@type\", e.g. {{\"@type\":\"type.googleapis.com/google.protobuf.StringValue\",\"value\":\"ok\"}}.");
        }

        return Parse<Any>(parser, element, field);
    }
}
