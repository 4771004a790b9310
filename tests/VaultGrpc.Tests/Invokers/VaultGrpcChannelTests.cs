using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.Invokers.Fallback;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;
using VaultGrpc.Tests.ClientBehaviour;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Invokers;

/// <summary>
/// A user's own stub on the public pieces: <see cref="VaultGrpcChannel"/> under a
/// <see cref="FallbackCallInvoker"/> with a <see cref="RestCallInvoker"/>. The channel brings the
/// connection budget and the proof of non-delivery, so a silent gRPC side moves even a Delete.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class VaultGrpcChannelTests
{
    [Fact]
    public async Task DeleteOperation_OwnStubOverPublicInvokersAndSilentGrpc_ServedByRestOnce()
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning("operations/own-stub");
        await using var silent = new SilentH2cPeer();
        using GrpcChannel channel = VaultGrpcChannel.Create(new VaultOperationsClientOptions
        {
            Endpoint = silent.Address,
            Credentials = VaultCredentials.None,
            GrpcConnectBudget = TimeSpan.FromMilliseconds(500),
        });
        var restOptions = new RestCallInvokerOptions { Credentials = VaultCredentials.None };
        restOptions.Services.Add(OperationsReflection.Descriptor.Services[0]);
        using var rest = new RestCallInvoker(fake.RestAddress, restOptions);
        var client = new Operations.OperationsClient(new FallbackCallInvoker(channel.CreateCallInvoker(), rest));

        using AsyncUnaryCall<Google.Protobuf.WellKnownTypes.Empty> call = client.DeleteOperationAsync(
            new DeleteOperationRequest { Name = "operations/own-stub" }, deadline: DateTime.UtcNow.AddSeconds(10));
        await call.ResponseAsync.WaitAsync(FakeClients.Bound);
        Metadata headers = await call.ResponseHeadersAsync;

        Assert.StartsWith("rest; fallback=grpc_no_connection", headers.GetValue(FallbackCallInvoker.TransportHeader), StringComparison.Ordinal);
        Assert.Equal(1, fake.Journal.Count(Transport.Rest, OperationsMethod.Delete));
        Assert.Null(fake.Store.Find("operations/own-stub"));
        Assert.Empty(silent.Log.CompleteRequests);
    }

    [Fact]
    public void Create_InvalidOptions_ListsEveryProblemBeforeAnyIo()
    {
        var error = Assert.Throws<ArgumentException>(() => VaultGrpcChannel.Create(new VaultOperationsClientOptions
        {
            Endpoint = new Uri("http://user:secret@example.com"),
            GrpcConnectBudget = TimeSpan.FromSeconds(-1),
        }));

        Assert.Contains("GrpcConnectBudget", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
