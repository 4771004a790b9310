using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Reliability;

/// <summary>A gRPC endpoint that answers with a redirect is not followed: one request, one failure.</summary>
[Trait("Category", "Reliability")]
public sealed class GrpcRedirectTests
{
    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task CancelAsync_GrpcPortRedirectsToItself_NotFollowed(int status)
    {
        int requests = 0;
        await using KestrelPeer peer = await KestrelPeer.StartAsync(HttpProtocols.Http2, app => app.Run(context =>
        {
            Interlocked.Increment(ref requests);
            context.Response.StatusCode = status;
            context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}";
            return Task.CompletedTask;
        }));
        await using VaultOperationsClient client = VaultOperationsClient.Create(new VaultOperationsClientOptions
        {
            Endpoint = peer.Address,
            Credentials = VaultCredentials.None,
            TransportMode = TransportMode.GrpcOnly,
        });

        RpcException error = await Assert.ThrowsAnyAsync<RpcException>(() => client.CancelAsync("operations/x").WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Contains($"HTTP status code: {status}", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, Volatile.Read(ref requests));
    }
}
