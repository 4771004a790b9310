using Grpc.Core;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Secrets;

/// <summary>A gRPC answer whose custom trailers echo the caller's token: the RpcException's trailers carry it masked.</summary>
[Trait("Category", "Reliability")]
public sealed class EchoedTrailerTests
{
    private const string Token = "SENTINELtr41lerEcho";

    [Theory]
    [InlineData("Bearer " + Token)]
    [InlineData(Token)]
    public async Task GetAsync_TrailerEchoesToken_TrailersCarryItMasked(string echo)
    {
        await using ScriptedH2Peer grpc = ScriptedH2Peer.Always(H2Action.GrpcStatus(16, "denied", H2Response.Field("x-echoed-authorization", echo)));
        await using VaultOperationsClient client = VaultOperationsClient.Create(new VaultOperationsClientOptions
        {
            Endpoint = grpc.Address,
            TransportMode = TransportMode.GrpcOnly,
            Credentials = VaultCredentials.FromAccessToken(Token),
        });

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/x").WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        string? echoed = error.Trailers.GetValue("x-echoed-authorization");
        Assert.NotNull(echoed);
        Assert.Contains("***", echoed, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, echoed, StringComparison.Ordinal);
    }
}
