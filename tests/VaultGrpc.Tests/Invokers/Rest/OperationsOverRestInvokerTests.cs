using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

namespace VaultGrpc.Tests.Invokers.Rest;

/// <summary>The generated Operations stub on a <see cref="RestCallInvoker"/>, against the fake's REST side over real sockets.</summary>
[Trait("Category", "Reliability")]
public sealed class OperationsOverRestInvokerTests
{
    private static RestCallInvoker InvokerFor(FakeOperationsServer fake, bool throwOperationCanceled = false)
    {
        var options = new RestCallInvokerOptions { ThrowOperationCanceledOnCancellation = throwOperationCanceled };
        options.Services.Add(OperationsReflection.Descriptor.Services[0]);
        return new RestCallInvoker(fake.RestAddress, options);
    }

    [Fact]
    public async Task CancelOperation_NameWithSpaceAndUnicode_EmptyPostToEncodedPath()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning("operations/a b/é?#");
        using RestCallInvoker invoker = InvokerFor(fake);
        var client = new Operations.OperationsClient(invoker);

        Empty answer = await client.CancelOperationAsync(new CancelOperationRequest { Name = "operations/a b/é?#" }).ResponseAsync.WaitAsync(Bound);

        Assert.Equal(new Empty(), answer);
        JournalEntry entry = Assert.Single(fake.Journal.Entries);
        Assert.Equal(("POST", "/v1/operations/a%20b/%C3%A9%3F%23:cancel", 0L), (entry.HttpMethod, entry.RawPath, entry.BodyLength));
        Assert.Equal(Transport.Rest, entry.Transport);
    }

    [Fact]
    public async Task GetAndDelete_ExistingOperation_ServedOverRest()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning("operations/get-1");
        using RestCallInvoker invoker = InvokerFor(fake);
        var client = new Operations.OperationsClient(invoker);

        Operation got = await client.GetOperationAsync(new GetOperationRequest { Name = "operations/get-1" }).ResponseAsync.WaitAsync(Bound);
        await client.DeleteOperationAsync(new DeleteOperationRequest { Name = "operations/get-1" }).ResponseAsync.WaitAsync(Bound);

        Assert.Equal("operations/get-1", got.Name);
        Assert.Equal(["GET", "DELETE"], fake.Journal.Entries.Select(e => e.HttpMethod));
        Assert.Null(fake.Store.Find("operations/get-1"));
    }

    [Fact]
    public async Task ListOperations_FilterPageSizeAndToken_QueryByJsonNamesAndPagesFollow()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning(5);
        using RestCallInvoker invoker = InvokerFor(fake);
        var client = new Operations.OperationsClient(invoker);

        ListOperationsResponse first = await client.ListOperationsAsync(new ListOperationsRequest { Name = "operations", Filter = "done=false", PageSize = 2 }).ResponseAsync.WaitAsync(Bound);
        ListOperationsResponse second = await client.ListOperationsAsync(new ListOperationsRequest { Name = "operations", Filter = "done=false", PageSize = 2, PageToken = first.NextPageToken }).ResponseAsync.WaitAsync(Bound);

        Assert.Equal(2, first.Operations.Count);
        Assert.Equal(2, second.Operations.Count);
        Assert.NotEqual(first.Operations[0].Name, second.Operations[0].Name);
        Assert.Equal("/v1/operations?filter=done%3Dfalse&pageSize=2", fake.Journal.Entries[0].RawPath);
        Assert.StartsWith("/v1/operations?filter=done%3Dfalse&pageSize=2&pageToken=", fake.Journal.Entries[1].RawPath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RestErrorShape.Aip193)]
    [InlineData(RestErrorShape.BareStatus)]
    public async Task GetOperation_ServiceError_SameRpcExceptionAsFacadeRestPath(RestErrorShape shape)
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets, o => o.RestErrorShape = shape);
        fake.Store.AddRunning("operations/held");
        var detail = new ErrorInfo { Reason = "ON_HOLD", Domain = "vault.googleapis.com" };
        fake.Faults.Add(Fault.Status(StatusCode.NotFound, "not here (é)", detail));
        fake.Faults.Add(Fault.Status(StatusCode.NotFound, "not here (é)", detail));
        using RestCallInvoker invoker = InvokerFor(fake);
        var client = new Operations.OperationsClient(invoker);
        await using VaultOperationsClient facade = Create(fake, TransportMode.RestOnly);

        AsyncUnaryCall<Operation> call = client.GetOperationAsync(new GetOperationRequest { Name = "operations/held" });
        RpcException viaInvoker = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Bound));
        RpcException viaFacade = await Assert.ThrowsAsync<RpcException>(() => facade.GetAsync("operations/held").WaitAsync(Bound));

        Assert.Equal((StatusCode.NotFound, viaFacade.Status.Detail), (viaInvoker.StatusCode, viaInvoker.Status.Detail));
        Assert.Equal(viaFacade.GetRpcStatus(), viaInvoker.GetRpcStatus());
        Assert.Equal("ON_HOLD", viaInvoker.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal(StatusCode.NotFound, call.GetStatus().StatusCode);
        Assert.NotNull(call.GetTrailers().GetValueBytes("grpc-status-details-bin"));
    }

    [Fact]
    public async Task GetOperation_DeadlinePassesWhileServerHangs_DeadlineExceeded()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning("operations/slow");
        fake.Faults.Add(Fault.Hang());
        using RestCallInvoker invoker = InvokerFor(fake);
        var client = new Operations.OperationsClient(invoker);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetOperationAsync(new GetOperationRequest { Name = "operations/slow" }, deadline: DateTime.UtcNow.AddMilliseconds(200)).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task GetOperation_DeadlineAlreadyPassed_NoRequestSent()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        using RestCallInvoker invoker = InvokerFor(fake);
        var client = new Operations.OperationsClient(invoker);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetOperationAsync(new GetOperationRequest { Name = "operations/late" }, deadline: DateTime.UtcNow.AddSeconds(-1)).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(Internal.Delivery.DeliveryEvidence.ProvesNotDelivered(error));
        Assert.Empty(fake.Journal.Entries);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetOperation_CallerCancelsWhileServerHangs_CancelledAsGrpcChannelWould(bool throwOperationCanceled)
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning("operations/slow");
        fake.Faults.Add(Fault.Hang());
        using RestCallInvoker invoker = InvokerFor(fake, throwOperationCanceled);
        var client = new Operations.OperationsClient(invoker);
        using var cancellation = new CancellationTokenSource();

        Task<Operation> call = client.GetOperationAsync(new GetOperationRequest { Name = "operations/slow" }, cancellationToken: cancellation.Token).ResponseAsync;
        await WaitJournalAsync(fake, 1);
        cancellation.Cancel();
        Exception error = await Record.ExceptionAsync(() => call.WaitAsync(Bound));

        if (throwOperationCanceled)
        {
            Assert.IsAssignableFrom<OperationCanceledException>(error);
        }
        else
        {
            Assert.Equal(StatusCode.Cancelled, Assert.IsType<RpcException>(error).StatusCode);
        }
    }

    [Fact]
    public async Task GetOperation_ClosedPort_UnavailableThatProvesNonDelivery()
    {
        var options = new RestCallInvokerOptions();
        options.Services.Add(OperationsReflection.Descriptor.Services[0]);
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var invoker = new RestCallInvoker(new Uri($"http://127.0.0.1:{port}"), options);
        var client = new Operations.OperationsClient(invoker);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() =>
            client.DeleteOperationAsync(new DeleteOperationRequest { Name = "operations/x" }).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.True(Internal.Delivery.DeliveryEvidence.ProvesNotDelivered(error));
    }

    [Fact]
    public async Task WaitOperation_NoHttpRule_UnimplementedNamingTheMethodWithoutIo()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        using RestCallInvoker invoker = InvokerFor(fake);
        var client = new Operations.OperationsClient(invoker);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() =>
            client.WaitOperationAsync(new WaitOperationRequest { Name = "operations/x" }).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Contains("google.longrunning.Operations.WaitOperation", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(fake.Journal.Entries);
    }

    [Theory]
    [InlineData("operations/../matters/x")]
    [InlineData("operations//x")]
    [InlineData("matters/x")]
    [InlineData("operations")]
    [InlineData("operations/x\n")]
    [InlineData("")]
    public async Task CancelOperation_HostileName_ArgumentExceptionWithoutIo(string name)
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        using RestCallInvoker invoker = InvokerFor(fake);
        var client = new Operations.OperationsClient(invoker);

        await Assert.ThrowsAsync<ArgumentException>(() => client.CancelOperationAsync(new CancelOperationRequest { Name = name }).ResponseAsync.WaitAsync(Bound));

        Assert.Empty(fake.Journal.Entries);
    }
}
