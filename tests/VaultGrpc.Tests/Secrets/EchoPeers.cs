using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using VaultGrpc.Tests.GrpcCalls.Peers;
using VaultGrpc.Tests.RestCalls;

namespace VaultGrpc.Tests.Secrets;

/// <summary>
/// Loopback servers that echo the client's credential back in every place a server's text can
/// reach the caller: a gRPC peer (h2c) in its grpc-message, and a REST peer (HTTP/1.1) in HTML,
/// AIP-193 and bare-status JSON, escaped JSON, reason phrases, media types and redirect targets,
/// chosen by the operation name.
/// </summary>
public sealed class EchoPeers : IAsyncLifetime
{
    /// <summary>The token every test client sends; it matches no credential shape, only the exact-token rule finds it bare.</summary>
    public const string Token = "SENTINELq7Zx3kP9w";

    internal KestrelPeer Grpc { get; private set; } = null!;

    internal RecordingRestServer Rest { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Grpc = await KestrelPeer.StartAsync(HttpProtocols.Http2, app => app.Run(AnswerGrpcAsync));
        Rest = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, request) => AnswerRestAsync(context, request.RouteName ?? string.Empty));
    }

    public async Task DisposeAsync()
    {
        await Grpc.DisposeAsync();
        await Rest.DisposeAsync();
    }

    // A trailers-only gRPC answer quoting the header (GetOperation) or the bare token (the others):
    // UNIMPLEMENTED for ListOperations (so that the client falls back to REST), else UNAUTHENTICATED.
    private static Task AnswerGrpcAsync(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString();
        string echo = context.Request.Path.Value!.EndsWith("/GetOperation", StringComparison.Ordinal)
            ? $"rejected header {header}"
            : $"rejected token {header.Replace("Bearer ", string.Empty, StringComparison.Ordinal)}";
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = context.Request.Path.Value!.EndsWith("/ListOperations", StringComparison.Ordinal) ? "12" : "16";
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(echo);
        return Task.CompletedTask;
    }

    private static async Task AnswerRestAsync(HttpContext context, string name)
    {
        string header = context.Request.Headers.Authorization.ToString();
        string token = header.Replace("Bearer ", string.Empty, StringComparison.Ordinal);
        HttpResponse response = context.Response;
        switch (name)
        {
            case "operations/html":
                await WriteAsync(response, 401, "text/html", $"<html><body><h1>Unauthorized</h1><pre>Authorization: {header}</pre></body></html>");
                break;
            case "operations/html-cut-in-token":
                // The 200-character snippet cut lands inside the token.
                await WriteAsync(response, 502, "text/html", new string('x', 185) + " " + header + " tail");
                break;
            case "operations/html-far":
                // Beyond the 800 bytes the snippet used to decode: the cut fell inside the bare token.
                await WriteAsync(response, 502, "text/plain", "x" + new string(' ', 790) + token + " and more");
                break;
            case "operations/html-percent":
                await WriteAsync(response, 400, "text/html", $"<a href=\"/retry?h=Bearer%20{token}\">retry</a>");
                break;
            case "operations/json-escaped-in-body":
                await WriteAsync(response, 500, "text/plain", $"{{\"echo\":\"\\u0042earer {token}\"}}");
                break;
            case "operations/aip193":
                await WriteAsync(response, 401, "application/json", $"{{\"error\":{{\"code\":401,\"message\":\"Request had invalid credentials: {header}\",\"status\":\"UNAUTHENTICATED\"}}}}");
                break;
            case "operations/aip193-bare-token":
                await WriteAsync(response, 403, "application/json", $"{{\"error\":{{\"code\":403,\"message\":\"token {token} may not do this\",\"status\":\"PERMISSION_DENIED\"}}}}");
                break;
            case "operations/aip193-escaped":
                await WriteAsync(response, 401, "application/json", $"{{\"error\":{{\"code\":401,\"message\":\"\\u0042earer\\u0020{token}\\r\\nforged\",\"status\":\"UNAUTHENTICATED\"}}}}");
                break;
            case "operations/aip193-beyond-cut":
                await WriteAsync(response, 400, "application/json", $"{{\"error\":{{\"code\":400,\"message\":\"{new string('m', 300)} {token}\",\"status\":\"INVALID_ARGUMENT\"}}}}");
                break;
            case "operations/bare-status":
                await WriteAsync(response, 401, "application/json", $"{{\"code\":16,\"message\":\"bad credentials {token}\",\"details\":[]}}");
                break;
            case "operations/reason-phrase":
                response.StatusCode = 401;
                context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = "Denied " + token;
                break;
            case "operations/media-type":
                await WriteAsync(response, 415, "application/x-" + token, "nope");
                break;
            case "operations/redirect":
                response.StatusCode = (int)HttpStatusCode.Found;
                response.Headers.Location = $"http://user:{token}@login.example/sso?next=1";
                break;
            case "operations/success-garbage":
                await WriteAsync(response, 200, "text/html", $"<html>Signed in as {token}</html>");
                break;
            case "operations":
                await WriteAsync(response, 200, "application/json", "{\"operations\":[]}");
                break;
            default:
                await WriteAsync(response, 404, "text/plain", "no such scenario");
                break;
        }
    }

    private static Task WriteAsync(HttpResponse response, int status, string contentType, string body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        return response.WriteAsync(body);
    }
}
