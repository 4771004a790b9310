using System.Globalization;
using System.Text.Json;

namespace VaultGrpc.Testing.Admin;

/// <summary>Reads admin request fields; every problem names the field (with its path, e.g. <c>details[0]</c>).</summary>
internal static class AdminJsonReader
{
    public static JsonDocument Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            throw new AdminInputException("body", "body: expected a JSON object (got no bytes).");
        }

        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new AdminInputException("body", $"body: not valid JSON ({e.Message}).");
        }
    }

    public static void ExpectObject(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new AdminInputException(field, $"{field}: expected a JSON object (got {element.ValueKind.ToString().ToLowerInvariant()}).");
        }
    }

    /// <summary>Refuses fields the endpoint does not know, so a typo is not silently ignored.</summary>
    public static void OnlyKnownFields(JsonElement obj, string prefix, params string[] known)
    {
        foreach (JsonProperty property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                string field = Join(prefix, property.Name);
                throw new AdminInputException(field, $"{field}: unknown field; expected {string.Join(", ", known)}.");
            }
        }
    }

    public static bool Has(JsonElement obj, string name)
        => obj.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null;

    public static string? String(JsonElement obj, string prefix, string name)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Wrong(prefix, name, "a string", value);
    }

    /// <summary>A string, or a number written as text (for fields such as <c>code</c> that take either).</summary>
    public static string? StringOrNumber(JsonElement obj, string prefix, string name)
    {
        if (obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number)
        {
            return value.GetRawText();
        }

        return String(obj, prefix, name);
    }

    public static int? Int(JsonElement obj, string prefix, string name, int min, int max)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number) || number < min || number > max)
        {
            throw Wrong(prefix, name, $"a whole number from {min} to {max}", value);
        }

        return number;
    }

    public static double? Double(JsonElement obj, string prefix, string name)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Wrong(prefix, name, "a number", value);
    }

    public static bool? Bool(JsonElement obj, string prefix, string name)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(prefix, name, "true or false", value),
        };
    }

    /// <summary>A duration as proto3 JSON writes it: seconds with an <c>s</c>, e.g. <c>"1.5s"</c>.</summary>
    public static TimeSpan? Duration(JsonElement obj, string prefix, string name)
    {
        string? text = String(obj, prefix, name);
        if (text is null)
        {
            return null;
        }

        if (text.EndsWith('s')
            && decimal.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal seconds)
            && seconds <= 86_400)
        {
            return TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        }

        string field = Join(prefix, name);
        throw new AdminInputException(field, $"{field}: expected a duration such as \"0.5s\" or \"3s\" (at most a day; got '{text}').");
    }

    public static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    private static AdminInputException Wrong(string prefix, string name, string expected, JsonElement value)
    {
        string field = Join(prefix, name);
        string got = value.GetRawText();
        got = got.Length > 40 ? got[..40] + "…" : got;
        return new AdminInputException(field, $"{field}: expected {expected} (got {got}).");
    }
}
