using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>A real Kestrel server on 127.0.0.1, on a port the OS picks, speaking only the protocols a test asks for.</summary>
internal sealed class KestrelPeer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelPeer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:54321</c>, without a trailing path.</summary>
    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<KestrelPeer> StartAsync(
        HttpProtocols protocols,
        Action<WebApplication> map,
        Action<IServiceCollection>? services = null,
        X509Certificate2? certificate = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        services?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        map(app);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));

        string bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new KestrelPeer(app, new Uri(bound));
    }

    /// <summary>A peer that answers every request with <paramref name="status"/>, <paramref name="contentType"/> and a short body.</summary>
    public static Task<KestrelPeer> StartAnsweringAsync(HttpProtocols protocols, int status, string contentType, string body, X509Certificate2? certificate = null) =>
        StartAsync(
            protocols,
            app => app.Run(async context =>
            {
                context.Response.StatusCode = status;
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(body);
            }),
            certificate: certificate);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
