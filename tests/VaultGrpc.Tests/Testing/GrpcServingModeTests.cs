using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Testing;

/// <summary>Each gRPC serving mode as the generated stub (Grpc.Net.Client) sees it, in both hostings.</summary>
public sealed class GrpcServingModeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<FakeHosting> Hostings => new() { FakeHosting.InMemory, FakeHosting.Sockets };

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task Unimplemented_AtStart_StubGetsUnimplementedAndRestStillServes(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, GrpcServingMode.Unimplemented);

        RpcException error = await GetOverGrpcAsync(fake);
        using HttpClient http = fake.CreateRestClient();
        using HttpResponseMessage rest = await http.GetAsync("/v1/operations/a").WaitAsync(Bound);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, fake.Journal.Where(Transport.Grpc).Single().Status);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task NotListening_AtStart_StubGetsUnavailableConnectionRefused(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, GrpcServingMode.NotListening);

        RpcException error = await GetOverGrpcAsync(fake);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains(System.Net.Sockets.SocketError.ConnectionRefused, Causes(error).OfType<System.Net.Sockets.SocketException>().Select(e => e.SocketErrorCode));
        Assert.Equal(0, fake.Journal.Count(Transport.Grpc));
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task Http1Only_AtStart_StubGetsInternalProtocolError(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, GrpcServingMode.Http1Only);

        RpcException error = await GetOverGrpcAsync(fake);

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        // Kestrel's GOAWAY HTTP_1_1_REQUIRED, or, when its close overtakes the GOAWAY (seen under
        // load), a handshake the client saw end: either way the HTTP/2 connection was refused.
        Assert.True(
            Causes(error).OfType<HttpProtocolException>().Any()
                || Causes(error).OfType<HttpRequestException>().Any(e => e.Message.Contains("HTTP/2 handshake", StringComparison.Ordinal)),
            error.ToString());
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task Gateway503_AtStart_StubGetsUnavailableBadResponse(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, GrpcServingMode.Gateway503);

        RpcException error = await GetOverGrpcAsync(fake);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("503", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(503, fake.Journal.Last!.HttpStatus);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task HtmlLoginPage_AtStart_StubGetsCancelledBadContentType(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, GrpcServingMode.HtmlLoginPage);

        RpcException error = await GetOverGrpcAsync(fake);

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Contains("text/html", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task GrpcMode_SwitchedAtRunTime_EachCallSeesTheCurrentMode(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, GrpcServingMode.Serve);
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);
        var request = new GetOperationRequest { Name = "operations/a" };

        Operation served = await stub.GetOperationAsync(request).ResponseAsync.WaitAsync(Bound);
        fake.GrpcMode = GrpcServingMode.Unimplemented;
        RpcException unimplemented = await Assert.ThrowsAsync<RpcException>(() => stub.GetOperationAsync(request).ResponseAsync.WaitAsync(Bound));
        fake.GrpcMode = GrpcServingMode.Gateway503;
        RpcException gateway = await Assert.ThrowsAsync<RpcException>(() => stub.GetOperationAsync(request).ResponseAsync.WaitAsync(Bound));
        fake.GrpcMode = GrpcServingMode.HtmlLoginPage;
        RpcException html = await Assert.ThrowsAsync<RpcException>(() => stub.GetOperationAsync(request).ResponseAsync.WaitAsync(Bound));
        fake.GrpcMode = GrpcServingMode.Serve;
        Operation servedAgain = await stub.GetOperationAsync(request).ResponseAsync.WaitAsync(Bound);

        Assert.Equal("operations/a", served.Name);
        Assert.Equal(StatusCode.Unimplemented, unimplemented.StatusCode);
        Assert.Equal(StatusCode.Unavailable, gateway.StatusCode);
        Assert.Equal(StatusCode.Cancelled, html.StatusCode);
        Assert.Equal("operations/a", servedAgain.Name);
    }

    [Fact]
    public async Task GrpcMode_InMemorySwitchToNotListeningAndHttp1_Simulated()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.InMemory, GrpcServingMode.Serve);
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);
        var request = new GetOperationRequest { Name = "operations/a" };

        fake.GrpcMode = GrpcServingMode.NotListening;
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => stub.GetOperationAsync(request).ResponseAsync.WaitAsync(Bound));
        fake.GrpcMode = GrpcServingMode.Http1Only;
        RpcException http1 = await Assert.ThrowsAsync<RpcException>(() => stub.GetOperationAsync(request).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(StatusCode.Internal, http1.StatusCode);
    }

    [Fact]
    public async Task GrpcMode_SocketsSwitchToNotListening_Throws()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets, GrpcServingMode.Serve);

        Assert.Throws<InvalidOperationException>(() => fake.GrpcMode = GrpcServingMode.NotListening);
        Assert.Throws<InvalidOperationException>(() => fake.GrpcMode = GrpcServingMode.Http1Only);
        Assert.Equal(GrpcServingMode.Serve, fake.GrpcMode);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task SetGrpcUnimplemented_WaitOnly_OtherMethodsServed(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, GrpcServingMode.Serve);
        fake.SetGrpcUnimplemented(OperationsMethod.Wait);
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        RpcException wait = await Assert.ThrowsAsync<RpcException>(() => stub.WaitOperationAsync(new WaitOperationRequest { Name = "operations/a" }).ResponseAsync.WaitAsync(Bound));
        Operation got = await stub.GetOperationAsync(new GetOperationRequest { Name = "operations/a" }).ResponseAsync.WaitAsync(Bound);

        Assert.Equal(StatusCode.Unimplemented, wait.StatusCode);
        Assert.Equal("operations/a", got.Name);
        Assert.Equal([OperationsMethod.Wait], fake.GrpcUnimplementedMethods);
    }

    private static async Task<FakeOperationsServer> StartAsync(FakeHosting hosting, GrpcServingMode mode)
    {
        FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o =>
        {
            o.Hosting = hosting;
            o.GrpcMode = mode;
        }).WaitAsync(Bound);
        fake.Store.AddRunning("operations/a");
        return fake;
    }

    private static async Task<RpcException> GetOverGrpcAsync(FakeOperationsServer fake)
    {
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);
        return await Assert.ThrowsAsync<RpcException>(() => stub.GetOperationAsync(new GetOperationRequest { Name = "operations/a" }).ResponseAsync.WaitAsync(Bound));
    }

    internal static IEnumerable<Exception> Causes(Exception error)
    {
        for (Exception? e = error is RpcException rpc ? rpc.Status.DebugException : error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
