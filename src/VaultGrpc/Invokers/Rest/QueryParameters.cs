using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace VaultGrpc.Invokers.Rest;

/// <summary>
/// The request fields bound neither to the path nor to the body, as query parameters
/// (google/api/http.proto): repeated fields as repeated parameters, fields of nested messages as
/// dotted names, default values omitted (unless the field tracks presence and is set). Names are
/// the fields' proto3 JSON (lowerCamel) names, as Google's REST APIs document them
/// (<c>pageSize</c>, <c>pageToken</c>); transcoding servers accept these and the proto names alike.
/// </summary>
/// <remarks>
/// Well-known types whose JSON is a string or number (Timestamp, Duration, FieldMask, wrappers)
/// go as that text. Maps, repeated messages, Struct, Value, ListValue and Any have no query form:
/// a request that sets one is refused with <see cref="ArgumentException"/> rather than sent without it.
/// </remarks>
internal static class QueryParameters
{
    private static readonly JsonFormatter ValueFormatter = new(JsonFormatter.Settings.Default);

    /// <summary>Appends <c>?a=1&amp;b=x</c> (or nothing) to <paramref name="target"/>.</summary>
    public static void Append(StringBuilder target, IMessage request, IReadOnlySet<FieldDescriptor> excluded)
    {
        char separator = '?';
        AppendMessage(target, request, prefix: string.Empty, excluded, ref separator);
    }

    private static void AppendMessage(StringBuilder target, IMessage message, string prefix, IReadOnlySet<FieldDescriptor> excluded, ref char separator)
    {
        foreach (FieldDescriptor field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (excluded.Contains(field))
            {
                continue;
            }

            string name = prefix + field.JsonName;
            object value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                RefuseIfSet(((System.Collections.IDictionary)value).Count > 0, field);
            }
            else if (field.IsRepeated)
            {
                var items = (System.Collections.IList)value;
                if (field.FieldType == FieldType.Message)
                {
                    RefuseIfSet(items.Count > 0, field);
                    continue;
                }

                foreach (object item in items)
                {
                    Add(target, name, FieldText.Of(field, item), ref separator);
                }
            }
            else if (field.FieldType == FieldType.Message)
            {
                if (value is IMessage nested)
                {
                    AppendNested(target, field, nested, name, excluded, ref separator);
                }
            }
            else if (field.HasPresence ? field.Accessor.HasValue(message) : !FieldText.IsDefault(field, value))
            {
                Add(target, name, FieldText.Of(field, value), ref separator);
            }
        }
    }

    private static void AppendNested(StringBuilder target, FieldDescriptor field, IMessage nested, string name, IReadOnlySet<FieldDescriptor> excluded, ref char separator)
    {
        string fullName = field.MessageType.FullName;
        if (fullName is "google.protobuf.Struct" or "google.protobuf.Value" or "google.protobuf.ListValue" or "google.protobuf.Any")
        {
            RefuseIfSet(true, field);
            return;
        }

        if (field.MessageType.File.Package == "google.protobuf" && fullName != Empty.Descriptor.FullName)
        {
            // Timestamp "2024-…Z", Duration "1.5s", FieldMask "a,b.c", wrappers: their JSON value, unquoted.
            string json = ValueFormatter.Format(nested);
            Add(target, name, json.Length >= 2 && json[0] == '"' ? Unquote(json) : json, ref separator);
            return;
        }

        AppendMessage(target, nested, name + ".", excluded, ref separator);
    }

    // A JSON string's value, escapes undone. JsonDocument rather than JsonSerializer: no reflection, so trimming and AOT keep it.
    internal static string Unquote(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetString()!;
    }

    private static void RefuseIfSet(bool isSet, FieldDescriptor field)
    {
        if (isSet)
        {
            throw new ArgumentException($"The request field '{field.Name}' ({field.FieldType}{(field.IsMap ? ", map" : field.IsRepeated ? ", repeated" : string.Empty)}) has no query parameter form, and the route takes it from neither the path nor the body.", field.Name);
        }
    }

    private static void Add(StringBuilder target, string name, string value, ref char separator)
    {
        target.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        separator = '&';
    }
}
