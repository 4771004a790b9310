using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace VaultGrpc.Testing.Internal;

/// <summary>Answers written on the gRPC side without the gRPC service: trailers-only statuses and non-gRPC fronts.</summary>
internal static class GrpcAnswers
{
    public const string ContentType = "application/grpc";

    /// <summary>A trailers-only response: HTTP 200, the status in the only HEADERS frame, as gRPC servers send errors.</summary>
    public static Task WriteStatusAsync(HttpContext context, Google.Rpc.Status status)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers["grpc-status"] = status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncodeMessage(status.Message);
        if (status.Details.Count > 0)
        {
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
        }

        return Task.CompletedTask;
    }

    public static async Task WriteTextAsync(HttpContext context, int httpStatus, string contentType, string body)
    {
        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The <c>grpc-status</c> the response ended with, from its trailers or (trailers-only) its headers.</summary>
    public static StatusCode? ReadStatus(HttpContext context)
    {
        string? value = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseTrailersFeature>()?.Trailers["grpc-status"].ToString();
        if (string.IsNullOrEmpty(value))
        {
            value = context.Response.Headers["grpc-status"].ToString();
        }

        return int.TryParse(value, out int code) ? (StatusCode)code : null;
    }

    // The gRPC spec percent-encodes grpc-message: bytes outside printable ASCII, and '%' itself.
    private static string PercentEncodeMessage(string message)
    {
        var builder = new StringBuilder(message.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
