using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Invokers.Rest;

/// <summary>
/// The sample service on Kestrel (127.0.0.1, ports the OS picks): gRPC over h2c on one listener,
/// the routes ASP.NET Core's gRPC JSON transcoding builds from the same http rules over HTTP/1.1 on another.
/// </summary>
internal sealed class SampleShelvesHost : IAsyncDisposable
{
    private readonly KestrelPeer _grpc;
    private readonly KestrelPeer _rest;

    private SampleShelvesHost(KestrelPeer grpc, KestrelPeer rest)
    {
        _grpc = grpc;
        _rest = rest;
    }

    public Uri GrpcAddress => _grpc.Address;

    public Uri RestAddress => _rest.Address;

    public static async Task<SampleShelvesHost> StartAsync()
    {
        KestrelPeer grpc = await StartPeerAsync(HttpProtocols.Http2);
        try
        {
            return new SampleShelvesHost(grpc, await StartPeerAsync(HttpProtocols.Http1));
        }
        catch
        {
            await grpc.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _rest.DisposeAsync();
        await _grpc.DisposeAsync();
    }

    private static Task<KestrelPeer> StartPeerAsync(HttpProtocols protocols) =>
        KestrelPeer.StartAsync(
            protocols,
            app => app.MapGrpcService<SampleShelvesService>(),
            services =>
            {
                // The slim builder leaves the regex route constraint out; transcoded '**' routes use it.
                services.Configure<RouteOptions>(options => options.SetParameterPolicy<RegexInlineRouteConstraint>("regex"));
                services.AddGrpc().AddJsonTranscoding();
            });
}
