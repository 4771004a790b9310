using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing.Internal;

namespace VaultGrpc.Testing.Admin;

/// <summary>The admin API's answers: journal entries, fault rules and operations as JSON (operations as proto3 JSON).</summary>
internal static class AdminJsonWriter
{
    public static void WriteEntry(Utf8JsonWriter json, JournalEntry entry)
    {
        json.WriteStartObject();
        json.WriteNumber("sequence", entry.Sequence);
        json.WriteString("timestamp", entry.Timestamp.ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("transport", AdminNames.NameOf(AdminNames.Transports, entry.Transport));
        WriteNullable(json, "method", entry.Method is { } m ? AdminNames.NameOf(AdminNames.Methods, m) : null);
        WriteNullable(json, "operationName", entry.OperationName);
        json.WriteString("httpMethod", entry.HttpMethod);
        json.WriteString("path", entry.RawPath);
        json.WriteString("protocol", entry.Protocol);
        json.WriteNumber("bodyLength", entry.BodyLength);
        WriteNullable(json, "bodyShape", entry.BodyShape is { } b ? AdminNames.NameOf(AdminNames.BodyShapes, b) : null);
        WriteNullable(json, "contentType", entry.ContentType);
        json.WriteBoolean("hasAuthorization", entry.HasAuthorization);
        WriteNullable(json, "requestParams", entry.RequestParams);
        WriteNullable(json, "apiClient", entry.ApiClient);
        WriteNullable(json, "fault", entry.Fault is { } f ? AdminNames.NameOf(AdminNames.FaultKinds, f) : null);
        json.WriteBoolean("completed", entry.Completed);
        json.WriteNumber("httpStatus", entry.HttpStatus);
        WriteNullable(json, "status", entry.Status is { } s ? HttpStatusMapping.ToStatusName(s) : null);
        json.WriteEndObject();
    }

    public static void WriteRule(Utf8JsonWriter json, long id, FaultRule rule, string? spec)
    {
        json.WriteStartObject();
        json.WriteNumber("id", id);
        json.WriteString("fault", AdminNames.NameOf(AdminNames.FaultKinds, rule.Fault.Kind));
        WriteNullable(json, "method", rule.Method is { } m ? AdminNames.NameOf(AdminNames.Methods, m) : null);
        WriteNullable(json, "transport", rule.Transport is { } t ? AdminNames.NameOf(AdminNames.Transports, t) : null);
        if (rule.Remaining is int remaining)
        {
            json.WriteNumber("remaining", remaining);
        }
        else
        {
            json.WriteNull("remaining");
        }

        json.WriteNumber("probability", rule.Probability);
        json.WriteNumber("hits", rule.Hits);
        json.WriteString("description", rule.ToString());
        if (spec is not null)
        {
            // The rule as it was added, for rules added through the admin API.
            json.WritePropertyName("spec");
            json.WriteRawValue(spec);
        }

        json.WriteEndObject();
    }

    public static void WriteOperation(Utf8JsonWriter json, JsonFormatter formatter, Operation operation)
    {
        try
        {
            json.WriteRawValue(formatter.Format(operation));
        }
        catch (InvalidOperationException)
        {
            // An Any of a type the registry lacks (seeded through the library without FakeServerOptions.AnyTypes).
            json.WriteStartObject();
            json.WriteString("name", operation.Name);
            json.WriteBoolean("done", operation.Done);
            json.WriteString("note", "metadata or result of a type the fake cannot write as JSON");
            json.WriteEndObject();
        }
    }

    public static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
