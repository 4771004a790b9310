using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace VaultGrpc.Testing.Internal;

/// <summary>Builds the fake's ASP.NET Core app: an empty builder (no configuration, logging or console hooks) for a fast start.</summary>
internal static class FakeHostBuilder
{
    private const string OperationsHealthCheck = "operations";

    public static (WebApplication App, Listeners Listeners) Build(FakeServerState state)
    {
        FakeServerOptions options = state.Options;
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeHostBuilder).Assembly.GetName().Name,
        });
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddLogging();
        builder.Services.AddRouting();
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(new FakeOperationsService(state));
        builder.Services.AddGrpc().AddJsonTranscoding(o =>
        {
            o.TypeRegistry = state.TypeRegistry;

            // As proto3 JSON and Google's REST frontends do: a number would lose int64 digits above 2^53.
            o.JsonSettings.WriteInt64sAsStrings = true;
        });

        if (options.ServeHealth)
        {
            builder.Services.AddGrpcHealthChecks(o => o.Services.Map(RequestClassifier.OperationsService, check => check.Name == OperationsHealthCheck))
                .AddCheck(OperationsHealthCheck, () => state.GrpcMode == GrpcServingMode.Serve
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy($"gRPC mode is {state.GrpcMode}."));
        }

        if (options.ServeReflection)
        {
            builder.Services.AddGrpcReflection();
        }

        var listeners = new Listeners();
        if (options.Hosting == FakeHosting.InMemory)
        {
            builder.WebHost.UseTestServer();
        }
        else
        {
            builder.WebHost.UseKestrelCore();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                if (options.GrpcMode == GrpcServingMode.NotListening)
                {
                    listeners.ReservedGrpcPort = options.GrpcPort != 0 ? options.GrpcPort : ReserveClosedPort();
                }
                else
                {
                    kestrel.Listen(IPAddress.Loopback, options.GrpcPort, listen =>
                    {
                        listen.Protocols = options.GrpcMode == GrpcServingMode.Http1Only ? HttpProtocols.Http1 : HttpProtocols.Http2;
                        listeners.Grpc = listen;
                        UseTls(listen, options);
                    });
                }

                kestrel.Listen(IPAddress.Loopback, options.RestPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    listeners.Rest = listen;
                    UseTls(listen, options);
                });
                if (options.RestHttp2Port >= 0)
                {
                    kestrel.Listen(IPAddress.Loopback, options.RestHttp2Port, listen =>
                    {
                        listen.Protocols = HttpProtocols.Http2;
                        listeners.RestHttp2 = listen;
                        UseTls(listen, options);
                    });
                }
            });
        }

        WebApplication app = builder.Build();
        var endpointSources = new List<EndpointDataSource>();
        app.UseMiddleware<FrontDoorMiddleware>(new RestListRoute(endpointSources));
        app.UseRouting();
        app.MapGrpcService<FakeOperationsService>();
        var otherServices = new HashSet<string>(StringComparer.Ordinal);
        if (options.ServeHealth)
        {
            app.MapGrpcHealthChecksService();
            otherServices.Add("grpc.health.v1.Health");
        }

        if (options.ServeReflection)
        {
            app.MapGrpcReflectionService();
            otherServices.Add("grpc.reflection.v1.ServerReflection");
            otherServices.Add("grpc.reflection.v1alpha.ServerReflection");
        }

        state.OtherGrpcServices = otherServices;
        endpointSources.AddRange(((IEndpointRouteBuilder)app).DataSources);
        return (app, listeners);
    }

    /// <summary>Serves TLS on <paramref name="listen"/> when the options carry a certificate; ALPN follows the listener's protocols.</summary>
    private static void UseTls(ListenOptions listen, FakeServerOptions options)
    {
        if (options.ServerCertificate is X509Certificate2 certificate)
        {
            listen.UseHttps(certificate);
        }
    }

    /// <summary>A loopback port that was free a moment ago and has nothing listening now: connections to it are refused.</summary>
    private static int ReserveClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>The Kestrel listeners; their endpoints carry the bound ports once the app has started.</summary>
    internal sealed class Listeners
    {
        public ListenOptions? Grpc { get; set; }

        public ListenOptions? Rest { get; set; }

        public ListenOptions? RestHttp2 { get; set; }

        public int? ReservedGrpcPort { get; set; }
    }
}
