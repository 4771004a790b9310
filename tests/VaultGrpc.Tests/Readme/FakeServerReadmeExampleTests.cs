// README:fake-server usings begin
using Grpc.Core;
using VaultGrpc;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;
using Xunit;
// README:fake-server usings end

// Outside the VaultGrpc namespaces, as a user's code is, so the usings above are all the sample has.
namespace ReadmeSamples;

/// <summary>README's example of the fake, run as a test; <see cref="VaultGrpc.Tests.Readme.ReadmeSyncTests"/> keeps the two identical.</summary>
public sealed class FakeServerReadmeExampleTests
{
    [Fact]
    public async Task ReadmeExample_GrpcUnimplemented_CancelServedByRestAndJournaled()
    {
        // README:fake-server begin
        // Start an in-memory fake whose gRPC side answers UNIMPLEMENTED, and seed an operation.
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.GrpcMode = GrpcServingMode.Unimplemented);
        fake.Store.AddRunning("operations/export-1");

        // Make the first REST Get fail once with UNAVAILABLE.
        fake.Faults.Add(Fault.Status(StatusCode.Unavailable, "try again"), OperationsMethod.Get, Transport.Rest, times: 1);

        await using VaultOperationsClient client = VaultOperationsClient.Create(fake.CreateClientOptions());
        VaultCallInfo cancel = await client.CancelAsync("operations/export-1");
        VaultResponse<Operation> got = await client.GetAsync("operations/export-1");

        // The client fell back to REST and then stayed there; the Get was retried once; the journal
        // shows what went over the wire.
        Assert.Equal((Transport.Rest, FallbackReason.GrpcUnimplemented), (cancel.Transport, cancel.Fallback));
        Assert.Equal((Transport.Rest, FallbackReason.StickyRest, 2), (got.Call.Transport, got.Call.Fallback, got.Call.Attempts));
        Assert.Equal(FakeOperationStore.CancelledCode, got.Value.Error.Code);
        Assert.Equal(1, fake.Journal.Count(Transport.Grpc));
        Assert.Equal(1, fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));
        Assert.Equal(2, fake.Journal.Count(Transport.Rest, OperationsMethod.Get));
        // README:fake-server end
    }
}
