using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Testing;

/// <summary>The five RPCs through the generated stub, in both hostings.</summary>
public sealed class FakeServerRpcTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<FakeHosting> Hostings => new() { FakeHosting.InMemory, FakeHosting.Sockets };

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task GetOperation_SeededDone_ReturnsResponseAndMetadata(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        fake.Store.AddDone("operations/export-1", new StringValue { Value = "done!" }, new Int32Value { Value = 7 });
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        Operation operation = await stub.GetOperationAsync(new GetOperationRequest { Name = "operations/export-1" }).ResponseAsync.WaitAsync(Bound);

        Assert.True(operation.Done);
        Assert.Equal("done!", operation.Response.Unpack<StringValue>().Value);
        Assert.Equal(7, operation.Metadata.Unpack<Int32Value>().Value);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task GetOperation_Unknown_NotFound(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => stub.GetOperationAsync(new GetOperationRequest { Name = "operations/none" }).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("operations/none", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task CancelOperation_Running_DoneWithCancelledError(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        fake.Store.AddRunning("operations/run-1");
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        await stub.CancelOperationAsync(new CancelOperationRequest { Name = "operations/run-1" }).ResponseAsync.WaitAsync(Bound);

        Operation after = fake.Store.Find("operations/run-1")!;
        Assert.True(after.Done);
        Assert.Equal(1, after.Error.Code);
    }

    [Fact]
    public async Task CancelOperation_AlreadyDone_LeftAsItWas()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        Operation done = fake.Store.AddDone("operations/d", new StringValue { Value = "r" });
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        await stub.CancelOperationAsync(new CancelOperationRequest { Name = "operations/d" }).ResponseAsync.WaitAsync(Bound);

        Assert.Equal(done, fake.Store.Find("operations/d"));
    }

    [Fact]
    public async Task CancelOperation_Unknown_NotFound()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => stub.CancelOperationAsync(new CancelOperationRequest { Name = "operations/x" }).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task DeleteOperation_Existing_RemovedThenNotFound(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        fake.Store.AddRunning("operations/del");
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        await stub.DeleteOperationAsync(new DeleteOperationRequest { Name = "operations/del" }).ResponseAsync.WaitAsync(Bound);
        RpcException again = await Assert.ThrowsAsync<RpcException>(() => stub.DeleteOperationAsync(new DeleteOperationRequest { Name = "operations/del" }).ResponseAsync.WaitAsync(Bound));

        Assert.Null(fake.Store.Find("operations/del"));
        Assert.Equal(StatusCode.NotFound, again.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task ListOperations_DoneFilters_SplitTheStore(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        fake.Store.AddRunning("operations/r1");
        fake.Store.AddDone("operations/d1");
        fake.Store.AddRunning("operations/r2");
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        ListOperationsResponse running = await stub.ListOperationsAsync(new ListOperationsRequest { Name = "operations", Filter = "done=false" }).ResponseAsync.WaitAsync(Bound);
        ListOperationsResponse done = await stub.ListOperationsAsync(new ListOperationsRequest { Name = "operations", Filter = "done = true" }).ResponseAsync.WaitAsync(Bound);
        ListOperationsResponse all = await stub.ListOperationsAsync(new ListOperationsRequest { Name = "operations" }).ResponseAsync.WaitAsync(Bound);

        Assert.Equal(["operations/r1", "operations/r2"], running.Operations.Select(o => o.Name));
        Assert.Equal(["operations/d1"], done.Operations.Select(o => o.Name));
        Assert.Equal(3, all.Operations.Count);
        Assert.Empty(all.NextPageToken);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task WaitOperation_CompletedMeanwhile_ReturnsDone(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        fake.Store.AddRunning("operations/w");
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        Task<Operation> waiting = stub.WaitOperationAsync(new WaitOperationRequest { Name = "operations/w", Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) }).ResponseAsync;
        await WaitUntilAsync(() => fake.Journal.Count(Transport.Grpc, OperationsMethod.Wait) == 1);
        fake.Store.Complete("operations/w", new StringValue { Value = "ok" });
        Operation operation = await waiting.WaitAsync(Bound);

        Assert.True(operation.Done);
        Assert.Equal("ok", operation.Response.Unpack<StringValue>().Value);
    }

    [Fact]
    public async Task WaitOperation_TimeoutPasses_ReturnsStillRunning()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning("operations/w");
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        Operation operation = await stub.WaitOperationAsync(new WaitOperationRequest { Name = "operations/w", Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(50)) }).ResponseAsync.WaitAsync(Bound);

        Assert.False(operation.Done);
    }

    [Fact]
    public async Task WaitOperation_CallDeadline_HeldUntilDeadline()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning("operations/w");
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => stub.WaitOperationAsync(
            new WaitOperationRequest { Name = "operations/w" },
            deadline: DateTime.UtcNow.AddMilliseconds(200)).ResponseAsync.WaitAsync(Bound));

        // Client and server deadline timers race: the client reports its own DEADLINE_EXCEEDED, or the
        // CANCEL reset grpc-dotnet's server sends when its copy of the deadline fires first — which
        // TestServer (no HTTP/2 framing) surfaces as Internal "reset the request with error code 8".
        bool cancelResetInMemory = error.StatusCode == StatusCode.Internal && error.Status.Detail.Contains("error code 8", StringComparison.Ordinal);
        Assert.True(error.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled || cancelResetInMemory, error.ToString());
        Assert.False(fake.Store.Find("operations/w")!.Done);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
