using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace VaultGrpc.Testing.Internal;

/// <summary>REST error bodies in either shape, with the <c>details</c> written as proto3 JSON.</summary>
internal sealed class RestAnswers(JsonFormatter formatter)
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public byte[] FormatError(Google.Rpc.Status status, RestErrorShape shape)
    {
        // A detail whose type the fake cannot write as JSON is left out rather than failing the
        // answer (an HTTP 500 would replace the scripted code); the message names what was left out.
        (List<string> details, string message) = FormatDetails(status);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            var code = (StatusCode)status.Code;
            if (shape == RestErrorShape.Aip193)
            {
                json.WriteStartObject();
                json.WritePropertyName("error");
                json.WriteStartObject();
                json.WriteNumber("code", HttpStatusMapping.ToHttp(code));
                json.WriteString("message", message);
                json.WriteString("status", HttpStatusMapping.ToStatusName(code));
                WriteDetails(json, details);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            else
            {
                json.WriteStartObject();
                json.WriteNumber("code", status.Code);
                json.WriteString("message", message);
                WriteDetails(json, details);
                json.WriteEndObject();
            }
        }

        return buffer.ToArray();
    }

    public async Task WriteErrorAsync(HttpContext context, Google.Rpc.Status status, RestErrorShape shape)
    {
        byte[] body = FormatError(status, shape);
        HttpResponse response = context.Response;
        response.StatusCode = HttpStatusMapping.ToHttp((StatusCode)status.Code);
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task WriteBodyAsync(HttpContext context, int httpStatus, string? contentType, ReadOnlyMemory<byte> body)
    {
        HttpResponse response = context.Response;
        response.StatusCode = httpStatus;
        if (contentType is not null)
        {
            response.ContentType = contentType;
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteTextAsync(HttpContext context, int httpStatus, string contentType, string body)
        => WriteBodyAsync(context, httpStatus, contentType, Encoding.UTF8.GetBytes(body));

    private (List<string> Details, string Message) FormatDetails(Google.Rpc.Status status)
    {
        var details = new List<string>(status.Details.Count);
        var leftOut = new List<string>();
        foreach (Google.Protobuf.WellKnownTypes.Any detail in status.Details)
        {
            try
            {
                details.Add(formatter.Format(detail));
            }
            catch (InvalidOperationException)
            {
                // JsonFormatter's answer to a type missing from its registry.
                leftOut.Add(detail.TypeUrl);
            }
        }

        string message = leftOut.Count == 0
            ? status.Message
            : $"{status.Message} [fake: details of types not in FakeServerOptions.AnyTypes left out: {string.Join(", ", leftOut)}]";
        return (details, message);
    }

    private static void WriteDetails(Utf8JsonWriter json, List<string> details)
    {
        json.WritePropertyName("details");
        json.WriteStartArray();
        foreach (string detail in details)
        {
            json.WriteRawValue(detail);
        }

        json.WriteEndArray();
    }
}
