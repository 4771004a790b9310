using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>A real ASP.NET Core gRPC server hosting <see cref="ScriptedOperationsService"/>.</summary>
internal static class GrpcPeer
{
    public static Task<KestrelPeer> StartAsync(RequestJournal journal, X509Certificate2? certificate = null) =>
        KestrelPeer.StartAsync(
            certificate is null ? HttpProtocols.Http2 : HttpProtocols.Http1AndHttp2,
            app => app.MapGrpcService<ScriptedOperationsService>(),
            services =>
            {
                services.AddGrpc();
                services.AddSingleton(journal);
            },
            certificate);
}
