using System.Net.Sockets;
using Grpc.Core;
using VaultGrpc.Internal.Delivery;

namespace VaultGrpc.Tests.Delivery;

/// <summary>What counts as proof that a request never reached a server, and what leaves a Delete's outcome open.</summary>
[Trait("Category", "Reliability")]
public sealed class DeliveryEvidenceTests
{
    [Theory]
    [InlineData(SocketError.HostUnreachable)]
    [InlineData(SocketError.NetworkUnreachable)]
    [InlineData(SocketError.ConnectionReset)]
    [InlineData(SocketError.ConnectionRefused)]
    public void ProvesNotDelivered_SocketErrorAbortingALiveConnection_IsNoProof(SocketError socketError)
    {
        // Linux aborts an established connection with these after the request went out.
        var aborted = new HttpRequestException(HttpRequestError.Unknown, "An error occurred while sending the request.", new IOException("aborted", new SocketException((int)socketError)));
        var error = new RpcException(new Status(StatusCode.Unavailable, "lost", aborted));

        Assert.False(DeliveryEvidence.ProvesNotDelivered(error));
        Assert.True(OutcomeGuard.LeavesOutcomeOpen(error));
    }

    [Fact]
    public void ProvesNotDelivered_ConnectPhaseFailure_IsProof()
    {
        var connect = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));
        var error = new RpcException(new Status(StatusCode.Unavailable, "no connection", connect));

        Assert.True(DeliveryEvidence.ProvesNotDelivered(error));
        Assert.False(OutcomeGuard.LeavesOutcomeOpen(error));
    }

    [Fact]
    public void LeavesOutcomeOpen_ClientMadeStatusAfterSuccessAnswer_Open()
    {
        // A 2xx whose body was too large to read: the server acted, whatever the code says.
        var error = DeliveryEvidence.MarkMayHaveActed(new RpcException(new Status(StatusCode.ResourceExhausted, "body too large")));

        Assert.True(OutcomeGuard.LeavesOutcomeOpen(error));
    }

    [Theory]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.FailedPrecondition)]
    public void LeavesOutcomeOpen_ServersVerdict_Closed(StatusCode code)
    {
        Assert.False(OutcomeGuard.LeavesOutcomeOpen(new RpcException(new Status(code, "the service said so"))));
    }
}
