using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>What the server saw of one request.</summary>
internal sealed record RecordedRequest(
    string Method,
    string RawTarget,
    string Protocol,
    string? RouteName,
    long? ContentLength,
    int BodyLength,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers);

/// <summary>A real Kestrel on 127.0.0.1, port 0, routing <c>/v1/{**name}</c>: records each request, then answers with a given function.</summary>
internal sealed class RecordingRestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingRestServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<RecordingRestServer> StartAsync(HttpProtocols protocols, Func<HttpContext, RecordedRequest, Task> respond)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        WebApplication app = builder.Build();
        RecordingRestServer? server = null;
        app.Map("/v1/{**name}", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var recorded = new RecordedRequest(
                context.Request.Method,
                context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget,
                context.Request.Protocol,
                context.GetRouteValue("name") as string,
                context.Request.ContentLength,
                (int)body.Length,
                context.Request.ContentType,
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()));
            server!.Requests.Enqueue(recorded);
            await respond(context, recorded);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server = new RecordingRestServer(app, new Uri(address));
        return server;
    }

    public static Task WriteJsonAsync(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
