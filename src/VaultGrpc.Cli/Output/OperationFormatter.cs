using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Cli.Output;

/// <summary>
/// Writes operations as proto3 JSON, resolving <c>Any</c> payloads through a registry of the types
/// vault-ops knows. A payload of a type it does not know (Vault's own metadata, say) or cannot
/// decode is kept as <c>{"@type": …, "value": base64}</c> rather than failing the whole line.
/// </summary>
internal static class OperationFormatter
{
    // What an operation of the Operations API carries: its own messages, google.rpc status and error
    // details, and the well-known types (a Struct-packed Any among them); imports come along.
    private static readonly TypeRegistry Registry = TypeRegistry.FromFiles(
        OperationsReflection.Descriptor,
        Google.Rpc.ErrorDetailsReflection.Descriptor,
        StructReflection.Descriptor,
        TimestampReflection.Descriptor,
        WrappersReflection.Descriptor,
        FieldMaskReflection.Descriptor);

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(Registry));

    /// <summary>The operation as one line of proto3 JSON.</summary>
    public static string ToJson(Operation operation)
    {
        try
        {
            return Formatter.Format(operation);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidProtocolBufferException or ArgumentException)
        {
            // The formatter refuses an Any whose type is not in the registry, and throws on a string
            // holding an unpaired surrogate (a REST server can send "\ud800"); build the line by hand instead.
            return ToJsonKeepingUnknownPayloads(operation);
        }
    }

    /// <summary>One line for people: name, state, and the payload types.</summary>
    public static string ToText(Operation operation)
    {
        string state = operation switch
        {
            { Done: false } => "running",
            { ResultCase: Operation.ResultOneofCase.Error } => $"done, error {StatusCodeNames.Of((StatusCode)operation.Error.Code)}: {operation.Error.Message}",
            { ResultCase: Operation.ResultOneofCase.Response } => $"done, response {operation.Response.TypeUrl}",
            _ => "done",
        };
        string metadata = operation.Metadata is null ? string.Empty : $"  (metadata {operation.Metadata.TypeUrl})";
        return $"{operation.Name}  {state}{metadata}";
    }

    private static string ToJsonKeepingUnknownPayloads(Operation operation)
    {
        var json = new JsonObject();
        if (operation.Name.Length > 0)
        {
            json["name"] = operation.Name;
        }

        if (operation.Metadata is not null)
        {
            json["metadata"] = AnyToJson(operation.Metadata);
        }

        if (operation.Done)
        {
            json["done"] = true;
        }

        if (operation.ResultCase == Operation.ResultOneofCase.Error)
        {
            var error = new JsonObject();
            if (operation.Error.Code != 0)
            {
                error["code"] = operation.Error.Code;
            }

            if (operation.Error.Message.Length > 0)
            {
                error["message"] = operation.Error.Message;
            }

            if (operation.Error.Details.Count > 0)
            {
                error["details"] = new JsonArray(operation.Error.Details.Select(AnyToJson).ToArray());
            }

            json["error"] = error;
        }
        else if (operation.ResultCase == Operation.ResultOneofCase.Response)
        {
            json["response"] = AnyToJson(operation.Response);
        }

        return json.ToJsonString();
    }

    private static JsonNode AnyToJson(Any any)
    {
        if (Registry.Find(Any.GetTypeName(any.TypeUrl)) is not null)
        {
            try
            {
                return JsonNode.Parse(Formatter.Format(any))!;
            }
            catch (Exception e) when (e is InvalidOperationException or InvalidProtocolBufferException or ArgumentException)
            {
                // A known type that nests an unknown Any, or holds an unpaired surrogate: fall through to the raw form.
            }
        }

        return new JsonObject
        {
            ["@type"] = any.TypeUrl,
            ["value"] = any.Value.ToBase64(),
        };
    }
}
