using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Reliability;

/// <summary>
/// A gRPC server whose <c>grpc-status-details-bin</c> trailer is not base64 (or not a
/// google.rpc.Status): the status code it sent must still reach the caller, not INTERNAL.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class GarbageStatusDetailsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (string details in new[] { "!!!not-base64!!!", "AAECAwQ", "////", "%%%" })
        {
            data.Add(details, false);
            data.Add(details, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task GetAsync_DetailsTrailerIsGarbage_KeepsServersStatusCode(string details, bool trailersOnly)
    {
        await using KestrelPeer peer = await KestrelPeer.StartAsync(HttpProtocols.Http2, app => app.Run(async context =>
        {
            context.Response.ContentType = "application/grpc";
            if (trailersOnly)
            {
                // A status without a message: grpc-status in the response headers, no body, no trailers.
                context.Response.Headers["grpc-status"] = "5";
                context.Response.Headers["grpc-message"] = "no such operation";
                context.Response.Headers["grpc-status-details-bin"] = details;
                return;
            }

            await context.Response.Body.FlushAsync();
            context.Response.AppendTrailer("grpc-status", "5");
            context.Response.AppendTrailer("grpc-message", "no such operation");
            context.Response.AppendTrailer("grpc-status-details-bin", details);
        }));
        await using VaultOperationsClient client = VaultOperationsClient.Create(new VaultOperationsClientOptions
        {
            Endpoint = peer.Address,
            Credentials = VaultCredentials.None,
            TransportMode = TransportMode.GrpcOnly,
        });

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("no such operation", error.Status.Detail, StringComparison.Ordinal);
    }
}
