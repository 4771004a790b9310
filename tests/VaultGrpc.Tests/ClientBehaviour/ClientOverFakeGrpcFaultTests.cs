using Google.LongRunning;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using VaultGrpc.Testing;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

namespace VaultGrpc.Tests.ClientBehaviour;

/// <summary>
/// The real client in <see cref="TransportMode.Auto"/> against the real fake serving gRPC, with every
/// fault kind injected on the gRPC side only: what the caller gets, and what went over the wire.
/// The REST side of the same faults is in Testing/ClientOverFakeRestTests.
/// </summary>
public sealed class ClientOverFakeGrpcFaultTests
{
    private const string Name = "operations/fault-1";

    [Theory]
    [InlineData(FakeHosting.InMemory, FaultKind.Latency)]
    [InlineData(FakeHosting.InMemory, FaultKind.Hang)]
    [InlineData(FakeHosting.Sockets, FaultKind.Latency)]
    [InlineData(FakeHosting.Sockets, FaultKind.Hang)]
    public async Task GetAsync_SlowerThanTimeout_DeadlineExceededWithoutFallback(FakeHosting hosting, FaultKind kind)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Store.AddRunning(Name);
        await using VaultOperationsClient client = await CreateWarmAsync(fake, Name);
        fake.Faults.Add(kind == FaultKind.Hang ? Fault.Hang() : Fault.Latency(TimeSpan.FromSeconds(30)), transport: Transport.Grpc);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(Name, timeout: TimeSpan.FromMilliseconds(500)).WaitAsync(Bound));

        // The caller's time budget is spent: REST would overrun it, and a slow gRPC side is no proof it is absent.
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(new VaultTransportStatus(null, FallbackReason.None, null), client.TransportStatus);
        Assert.Equal(0, fake.Journal.Count(Transport.Rest));
        // One gRPC attempt, held by the fault. (On a stalled machine the deadline can pass before the
        // request even reaches the fake, so none is allowed too; never a retry.)
        IReadOnlyList<JournalEntry> grpc = fake.Journal.Where(Transport.Grpc);
        Assert.InRange(grpc.Count, 0, 1);
        foreach (JournalEntry entry in grpc)
        {
            Assert.Equal(kind, entry.Fault);
            // The client's reset reaches the fake, which stops holding the call.
            await WaitCompletedAsync(entry);
        }
    }
}
