using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.GrpcCalls.Peers;
// The server base generated in VaultGrpc.Testing, the only project that generates one.
using OperationsServer = VaultGrpc.Testing.Internal.LongRunningServer.Operations;

namespace VaultGrpc.Tests.Listing;

/// <summary>
/// A ListOperations server on 127.0.0.1 answering from a <see cref="PagingScript"/>: REST
/// (<c>GET /v1/operations</c>, HTTP/1.1) on one port, gRPC (h2c) on another. It keeps nothing per
/// request, so the memory of the process is the client's.
/// </summary>
internal sealed class PagingPeer : IAsyncDisposable
{
    private readonly KestrelPeer _rest;
    private readonly KestrelPeer _grpc;

    private PagingPeer(KestrelPeer rest, KestrelPeer grpc)
    {
        _rest = rest;
        _grpc = grpc;
    }

    public static async Task<PagingPeer> StartAsync(PagingScript script)
    {
        KestrelPeer rest = await KestrelPeer.StartAsync(
            HttpProtocols.Http1,
            app => app.MapGet("/v1/operations", async context =>
            {
                ListOperationsResponse page = script.Answer(context.Request.Query["pageToken"].ToString());
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonFormatter.Default.Format(page), context.RequestAborted);
            }));
        KestrelPeer grpc = await KestrelPeer.StartAsync(
            HttpProtocols.Http2,
            app => app.MapGrpcService<ScriptedListService>(),
            services =>
            {
                services.AddGrpc(o => o.MaxReceiveMessageSize = null);
                services.AddSingleton(script);
            });
        return new PagingPeer(rest, grpc);
    }

    /// <summary>Client options for this peer over <paramref name="transport"/>, without credentials.</summary>
    public VaultOperationsClientOptions ClientOptions(Transport transport) => new()
    {
        Endpoint = _grpc.Address,
        RestEndpoint = _rest.Address,
        TransportMode = transport == Transport.Grpc ? TransportMode.GrpcOnly : TransportMode.RestOnly,
        Credentials = VaultCredentials.None,
    };

    public async ValueTask DisposeAsync()
    {
        await _rest.DisposeAsync();
        await _grpc.DisposeAsync();
    }

    private sealed class ScriptedListService(PagingScript script) : OperationsServer.OperationsBase
    {
        public override Task<ListOperationsResponse> ListOperations(ListOperationsRequest request, ServerCallContext context) =>
            Task.FromResult(script.Answer(request.PageToken));
    }
}
