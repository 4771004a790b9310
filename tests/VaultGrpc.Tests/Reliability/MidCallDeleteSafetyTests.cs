using Grpc.Core;
using VaultGrpc.Testing;
using VaultGrpc.Tests.ClientBehaviour;
using VaultGrpc.Tests.GrpcCalls.Peers;
using VaultGrpc.Tests.GrpcCalls.Peers.Http2;

namespace VaultGrpc.Tests.Reliability;

/// <summary>
/// The safety principle through the real client: a gRPC side (a raw-frame HTTP/2 peer) that fails
/// after the request reached it, a REST side (the fake, over sockets) that works. A Delete is never
/// sent again on either transport once it may have acted — it reaches the gRPC peer exactly once and
/// REST never — and its caller is told the outcome is unknown. Methods safe to repeat may still move.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class MidCallDeleteSafetyTests
{
    private const string Name = "operations/midcall-1";

    public static TheoryData<string> AmbiguousFailures() =>
    [
        "reset stream PROTOCOL_ERROR",
        "reset stream INTERNAL_ERROR",
        "TCP reset",
        "gateway 503",
        "response headers over 64 KB",
        "trailers over 64 KB",
        "GOAWAY at the stream",
        "grpc-status UNAVAILABLE",
        "grpc-status INTERNAL",
    ];

    [Theory]
    [MemberData(nameof(AmbiguousFailures))]
    public async Task DeleteAsync_FailsAfterRequestReachedServer_NeverSentAgainOutcomeUnknown(string failure)
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning(Name);
        await using ScriptedH2Peer grpc = ScriptedH2Peer.Always(Action(failure));
        await using VaultOperationsClient client = Client(fake, grpc);

        var error = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => client.DeleteAsync(Name).WaitAsync(FakeClients.Bound));

        Assert.Equal("DeleteOperation", error.Method);
        Assert.Contains("may or may not have been executed", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, grpc.Log.CompleteRequestsFor(PeerClient.DeletePath));
        Assert.Equal(0, fake.Journal.Count(Transport.Rest, OperationsMethod.Delete));
        Assert.NotNull(fake.Store.Find(Name));
    }

    [Theory]
    [InlineData("TCP reset", FallbackReason.GrpcNoConnection)]
    [InlineData("gateway 503", FallbackReason.GrpcNotServed)]
    [InlineData("response headers over 64 KB", FallbackReason.GrpcNotServed)]
    public async Task CancelAsync_SameAmbiguousFailure_SafeToRepeatSoMovesToRest(string failure, FallbackReason expected)
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning(Name);
        await using ScriptedH2Peer grpc = ScriptedH2Peer.Always(Action(failure));
        await using VaultOperationsClient client = Client(fake, grpc);

        VaultCallInfo info = await client.CancelAsync(Name).WaitAsync(FakeClients.Bound);

        Assert.Equal((Transport.Rest, expected), (info.Transport, info.Fallback));
        Assert.Equal(1, fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));
    }

    [Fact]
    public async Task DeleteAsync_StreamRefusedEveryTime_ProvablyUnprocessedSoMovesToRestOnce()
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning(Name);
        await using ScriptedH2Peer grpc = ScriptedH2Peer.Always(H2Action.RefuseStream);
        await using VaultOperationsClient client = Client(fake, grpc);

        VaultCallInfo info = await client.DeleteAsync(Name).WaitAsync(FakeClients.Bound);

        // REFUSED_STREAM (RFC 9113 §8.7) promises nothing was processed: SocketsHttpHandler re-sends
        // it itself a few times, then the client moves it to REST, where it runs once.
        Assert.Equal((Transport.Rest, FallbackReason.GrpcNoConnection), (info.Transport, info.Fallback));
        Assert.Equal(1, fake.Journal.Count(Transport.Rest, OperationsMethod.Delete));
        Assert.Null(fake.Store.Find(Name));
    }

    [Fact]
    public async Task DeleteAsync_GoAwayBelowItsStreamOnce_ResentByHttpStackServedOverGrpc()
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets);
        await using ScriptedH2Peer grpc = ScriptedH2Peer.OnRequest(1, H2Action.GoAway(lastStreamIdBelowRequest: true));
        await using VaultOperationsClient client = Client(fake, grpc);

        VaultCallInfo info = await client.DeleteAsync(Name).WaitAsync(FakeClients.Bound);

        Assert.Equal((Transport.Grpc, FallbackReason.None, 1), (info.Transport, info.Fallback, info.Attempts));
        Assert.Equal(2, grpc.Log.CompleteRequestsFor(PeerClient.DeletePath));
        Assert.Equal(0, fake.Journal.Count(Transport.Rest));
    }

    [Fact]
    public async Task DeleteAsync_ServerAnswersNotFound_PlainAnswerNotOutcomeUnknown()
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets);
        await using ScriptedH2Peer grpc = ScriptedH2Peer.Always(H2Action.GrpcStatus(5, "gone"));
        await using VaultOperationsClient client = Client(fake, grpc);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.DeleteAsync(Name).WaitAsync(FakeClients.Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(1, grpc.Log.CompleteRequestsFor(PeerClient.DeletePath));
        Assert.Equal(0, fake.Journal.Count(Transport.Rest));
    }

    private static H2Action Action(string failure) => failure switch
    {
        "reset stream PROTOCOL_ERROR" => H2Action.ResetStream(H2ErrorCode.ProtocolError),
        "reset stream INTERNAL_ERROR" => H2Action.ResetStream(H2ErrorCode.InternalError),
        "TCP reset" => H2Action.ResetConnection,
        "gateway 503" => H2Action.GatewayResetBeforeHeaders,
        "response headers over 64 KB" => H2Action.Respond(H2Response.GrpcStatusWithHugeHeader(0, 70_000, H2Response.HugeHeaderPlacement.ResponseHeaders)),
        "trailers over 64 KB" => H2Action.Respond(H2Response.GrpcStatusWithHugeHeader(0, 70_000, H2Response.HugeHeaderPlacement.Trailers)),
        "GOAWAY at the stream" => H2Action.GoAway(lastStreamIdBelowRequest: false),
        "grpc-status UNAVAILABLE" => H2Action.GrpcStatus(14, "upstream connect error or disconnect/reset before headers"),
        "grpc-status INTERNAL" => H2Action.GrpcStatus(13, "boom"),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };

    private static VaultOperationsClient Client(FakeOperationsServer fake, ScriptedH2Peer grpc)
    {
        VaultOperationsClientOptions options = FakeClients.Options(fake);
        options.Endpoint = grpc.Address;
        return VaultOperationsClient.Create(options);
    }
}
