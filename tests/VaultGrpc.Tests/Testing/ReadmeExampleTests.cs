using Grpc.Core;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Testing;

/// <summary>The README's example of the fake, kept compiling (and, once the client's transports land, passing).</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task ReadmeExample_GrpcUnimplemented_CancelServedByRestAndJournaled()
    {
        // Start an in-memory fake whose gRPC side answers UNIMPLEMENTED, and seed an operation.
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.GrpcMode = GrpcServingMode.Unimplemented);
        fake.Store.AddRunning("operations/export-1");

        // Make the first REST Get fail once with UNAVAILABLE.
        fake.Faults.Add(Fault.Status(StatusCode.Unavailable, "try again"), OperationsMethod.Get, Transport.Rest, times: 1);

        await using VaultOperationsClient client = VaultOperationsClient.Create(fake.CreateClientOptions());
        VaultCallInfo cancel = await client.CancelAsync("operations/export-1");
        VaultResponse<Google.LongRunning.Operation> got = await client.GetAsync("operations/export-1");

        // The client fell back to REST; the operation is cancelled; the journal shows what went over the wire.
        Assert.Equal(Transport.Rest, cancel.Transport);
        Assert.Equal(1, got.Value.Error.Code);
        Assert.Equal(1, fake.Journal.Count(Transport.Grpc, OperationsMethod.Cancel));
        Assert.Equal(1, fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));
        Assert.Equal(2, fake.Journal.Count(Transport.Rest, OperationsMethod.Get));
    }
}
