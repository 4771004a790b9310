using Grpc.Core;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Testing;

/// <summary>The real client (RestOnly: the gRPC transport is not on main yet) against the fake's faults and checks.</summary>
public sealed class ClientOverFakeRestTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static TheoryData<FakeHosting> Hostings => new() { FakeHosting.InMemory, FakeHosting.Sockets };

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task CancelAsync_RunningOperation_CancelledOverRestWithEmptyBody(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        fake.Store.AddRunning("operations/a b%");
        await using VaultOperationsClient client = CreateClient(fake);

        VaultCallInfo call = await client.CancelAsync("operations/a b%").WaitAsync(Bound);

        Assert.Equal(Transport.Rest, call.Transport);
        Assert.Equal(1, fake.Store.Find("operations/a b%")!.Error.Code);
        JournalEntry entry = fake.Journal.Last!;
        Assert.Equal(0, entry.BodyLength);
        Assert.Equal("operations/a b%", entry.OperationName);
    }

    [Theory]
    [InlineData(RestErrorShape.Aip193)]
    [InlineData(RestErrorShape.BareStatus)]
    public async Task GetAsync_UnknownInEitherErrorShape_NotFound(RestErrorShape shape)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.RestErrorShape = shape).WaitAsync(Bound);
        await using VaultOperationsClient client = CreateClient(fake);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/none").WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task GetAsync_TooManyRequests_ResourceExhaustedNotRetried()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning("operations/a");
        fake.Faults.Add(Fault.TooManyRequests(TimeSpan.FromSeconds(1)));
        await using VaultOperationsClient client = CreateClient(fake);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/a").WaitAsync(Bound));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(1, fake.Journal.Count(Transport.Rest, OperationsMethod.Get));
    }

    [Fact]
    public async Task GetAsync_UnavailableOnce_RetriedAndServed()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning("operations/a");
        fake.Faults.Add(Fault.Status(StatusCode.Unavailable, "blip"), times: 1);
        await using VaultOperationsClient client = CreateClient(fake);

        VaultResponse<VaultGrpc.LongRunning.Operation> got = await client.GetAsync("operations/a").WaitAsync(Bound);

        Assert.Equal("operations/a", got.Value.Name);
        Assert.Equal(2, got.Call.Attempts);
        Assert.Equal(2, fake.Journal.Count(Transport.Rest, OperationsMethod.Get));
    }

    [Theory]
    [InlineData(RestBodyKind.Malformed)]
    [InlineData(RestBodyKind.Empty)]
    [InlineData(RestBodyKind.Truncated)]
    [InlineData(RestBodyKind.Html)]
    public async Task GetAsync_BrokenBody_RpcExceptionNotParserError(RestBodyKind kind)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning("operations/a");
        fake.Faults.Add(Fault.RestBody(kind));
        await using VaultOperationsClient client = CreateClient(fake);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/a").WaitAsync(Bound));

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
    }

    [Fact]
    public async Task GetAsync_RequiredTokenFromOptions_Served()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.RequiredBearerToken = "tok").WaitAsync(Bound);
        fake.Store.AddRunning("operations/a");
        await using VaultOperationsClient client = CreateClient(fake);

        VaultResponse<VaultGrpc.LongRunning.Operation> got = await client.GetAsync("operations/a").WaitAsync(Bound);

        Assert.Equal("operations/a", got.Value.Name);
        Assert.True(fake.Journal.Last!.HasAuthorization);
    }

    [Fact]
    public async Task GetAsync_WrongToken_Unauthenticated()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.RequiredBearerToken = "tok").WaitAsync(Bound);
        fake.Store.AddRunning("operations/a");
        VaultOperationsClientOptions options = fake.CreateClientOptions();
        options.TransportMode = TransportMode.RestOnly;
        options.Credentials = VaultCredentials.FromAccessToken("other");
        await using VaultOperationsClient client = VaultOperationsClient.Create(options);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/a").WaitAsync(Bound));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task GetAsync_Hang_DeadlineExceeded()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning("operations/a");
        fake.Faults.Add(Fault.Hang());
        await using VaultOperationsClient client = CreateClient(fake);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/a", timeout: TimeSpan.FromMilliseconds(300)).WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task ListAsync_ManyPages_EveryOperationOnce()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.SeedRunningOperations = 250).WaitAsync(Bound);
        await using VaultOperationsClient client = CreateClient(fake);

        List<string> names = await client.ListAsync(filter: "done=false", pageSize: 100).Select(o => o.Name).ToListAsync().AsTask().WaitAsync(Bound);

        Assert.Equal(250, names.Distinct().Count());
        Assert.Equal(3, fake.Journal.Count(Transport.Rest, OperationsMethod.List));
    }

    private static VaultOperationsClient CreateClient(FakeOperationsServer fake)
    {
        VaultOperationsClientOptions options = fake.CreateClientOptions();
        options.TransportMode = TransportMode.RestOnly;
        return VaultOperationsClient.Create(options);
    }
}
