using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using VaultGrpc.Testing;
using VaultGrpc.Tests.AnyTypes.Protos;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>
/// A REST error whose <c>details</c> cannot be read keeps its status code: the details are dropped
/// and the message says so, and <c>GetRpcStatus()</c> still reads the trailer.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RestErrorDetailsGarbageTests(RawOperationServer raw) : IClassFixture<RawOperationServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>A <c>details</c> value as sent in an AIP-193 NOT_FOUND, and a fragment of the note the message must carry.</summary>
    public static TheoryData<string, string> GarbageDetails => new()
    {
        { """[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"a","reason":"b"}]""", "1 could not be decoded" },
        { """[{"@type":"type.googleapis.com/vault.NotKnown","a":1,"a":2}]""", "1 could not be decoded" },
        { """[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":5}]""", "1 could not be decoded" },
        { """[{"@type":"type.googleapis.com/google.protobuf.BytesValue","value":"!!not base64!!"}]""", "1 could not be decoded" },
        { """[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"forever"}]""", "1 could not be decoded" },
        { """[1,"two"]""", "2 could not be decoded" },
        { "\"garbage\"", "'details' is a JSON string, not an array" },
        { """{"@type":"type.googleapis.com/google.rpc.ErrorInfo"}""", "'details' is a JSON object, not an array" },
    };

    [Theory]
    [MemberData(nameof(GarbageDetails))]
    public async Task GetAsync_Aip193NotFoundWithUnreadableDetails_NotFoundKeptDetailsDroppedWithNote(string details, string note)
    {
        string name = raw.Serve(NotFoundWithDetails(details), 404);
        await using VaultOperationsClient client = VaultOperationsClient.Create(raw.RestOnlyOptions());

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(name).WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.StartsWith("gone [error details dropped: ", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(note, error.Status.Detail, StringComparison.Ordinal);
        Google.Rpc.Status status = error.GetRpcStatus()!;
        Assert.Equal((int)StatusCode.NotFound, status.Code);
        Assert.Empty(status.Details);
    }

    [Fact]
    public async Task GetAsync_BareStatusWithUnreadableDetails_CodeKeptDetailsDropped()
    {
        // Status FAILED_PRECONDITION on an HTTP 400 (which alone would mean INVALID_ARGUMENT).
        string name = raw.Serve("""{"code":9,"message":"matter closed","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":[]}]}""", 400);
        await using VaultOperationsClient client = VaultOperationsClient.Create(raw.RestOnlyOptions());

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(name).WaitAsync(Bound));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.StartsWith("matter closed [error details dropped: 1 could not be decoded", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_ErrorKeyRepeated_CodeFromHttpNotInternal()
    {
        string name = raw.Serve("""{"error":{"code":404,"status":"NOT_FOUND","message":"gone"},"error":{"code":500,"status":"INTERNAL"}}""", 404);
        await using VaultOperationsClient client = VaultOperationsClient.Create(raw.RestOnlyOptions());

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(name).WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("HTTP 404", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task GetAsync_NoDetails_MessageAsSent(string details)
    {
        string name = raw.Serve(NotFoundWithDetails(details), 404);
        await using VaultOperationsClient client = VaultOperationsClient.Create(raw.RestOnlyOptions());

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(name).WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("gone", error.Status.Detail);
    }

    [Fact]
    public async Task GetAsync_ReadableDetailsWithInt64AsNumber_DetailsExactAndNoNote()
    {
        string name = raw.Serve("""
            {"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"slow down","details":[
              {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"QUOTA"},
              {"@type":"type.googleapis.com/google.protobuf.Int64Value","value":9007199254740993}]}}
            """, 429);
        await using VaultOperationsClient client = VaultOperationsClient.Create(raw.RestOnlyOptions());

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(name).WaitAsync(Bound));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("slow down", error.Status.Detail);
        Google.Rpc.Status status = error.GetRpcStatus()!;
        Assert.Equal("QUOTA", status.Details[0].Unpack<ErrorInfo>().Reason);
        Assert.Equal(9_007_199_254_740_993, status.Details[1].Unpack<Int64Value>().Value);
    }

    [Fact]
    public async Task FakeOverRest_ScriptedDetailOfATypeItCannotWrite_StatusKeptAndDetailLeftOutWithNote()
    {
        // The fake knows no vaultgrpc.test types: it cannot write this detail as JSON (it used to answer HTTP 500).
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = FakeHosting.Sockets).WaitAsync(Bound);
        fake.Store.AddRunning("operations/a");
        fake.Faults.Add(Fault.Status(StatusCode.NotFound, "scripted", new Requester { Email = "x" }, new ErrorInfo { Reason = "R" }), OperationsMethod.Get);
        VaultOperationsClientOptions rest = fake.CreateClientOptions();
        rest.TransportMode = TransportMode.RestOnly;
        VaultOperationsClientOptions grpc = fake.CreateClientOptions();
        grpc.TransportMode = TransportMode.GrpcOnly;
        await using VaultOperationsClient restClient = VaultOperationsClient.Create(rest);
        await using VaultOperationsClient grpcClient = VaultOperationsClient.Create(grpc);

        RpcException overRest = await Assert.ThrowsAsync<RpcException>(() => restClient.GetAsync("operations/a").WaitAsync(Bound));
        RpcException overGrpc = await Assert.ThrowsAsync<RpcException>(() => grpcClient.GetAsync("operations/a").WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, overRest.StatusCode);
        Assert.Contains("left out: type.googleapis.com/vaultgrpc.test.Requester", overRest.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("R", Assert.Single(overRest.GetRpcStatus()!.Details).Unpack<ErrorInfo>().Reason);
        Assert.Equal(StatusCode.NotFound, overGrpc.StatusCode);
        Assert.Equal(2, overGrpc.GetRpcStatus()!.Details.Count);
    }

    private static string NotFoundWithDetails(string details) =>
        """{"error":{"code":404,"status":"NOT_FOUND","message":"gone","details":""" + details + "}}";
}
