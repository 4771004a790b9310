using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Testing;

/// <summary>
/// What the fake's front answers before the Operations service: gRPC told by content type, so other services and
/// methods get UNIMPLEMENTED as from a gRPC server; health and reflection when asked for.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class FakeServerFrontDoorTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public static TheoryData<FakeHosting> Hostings => new() { FakeHosting.InMemory, FakeHosting.Sockets };

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task UnaryCall_UnknownService_UnimplementedServiceAndJournaledAsGrpc(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        using GrpcChannel channel = fake.CreateGrpcChannel();

        RpcException error = await CallAsync(channel, "acme.billing.v1.Invoices", "GetInvoice");

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("Service is unimplemented.", error.Status.Detail);
        JournalEntry entry = fake.Journal.Last!;
        Assert.Equal((Transport.Grpc, (OperationsMethod?)null, StatusCode.Unimplemented), (entry.Transport, entry.Method, entry.Status));
        Assert.Equal("/acme.billing.v1.Invoices/GetInvoice", entry.RawPath);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task UnaryCall_UnknownOperationsMethod_UnimplementedMethod(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        using GrpcChannel channel = fake.CreateGrpcChannel();

        RpcException error = await CallAsync(channel, "google.longrunning.Operations", "PauseOperation");

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("Method is unimplemented.", error.Status.Detail);
    }

    [Fact]
    public async Task RawHttp2_UnknownService_TrailersOnlyUnimplemented()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = FakeHosting.Sockets).WaitAsync(Bound);
        using var http = new HttpClient(fake.CreateGrpcHandler(), disposeHandler: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fake.GrpcAddress, "/grpc.testing.TestService/EmptyCall"))
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");

        using HttpResponseMessage response = await http.SendAsync(request).WaitAsync(Bound);
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("12", response.Headers.GetValues("grpc-status").Single());
        Assert.Empty(body);
    }

    [Fact]
    public async Task Post_GrpcPathWithJsonContentType_IsRestNotGrpc()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.PostAsync("/google.longrunning.Operations/GetOperation", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")).WaitAsync(Bound);

        Assert.Equal(Transport.Rest, fake.Journal.Last!.Transport);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task HealthCheck_ServeHealth_ServingThenNotServingWhenUnimplemented(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => (o.Hosting, o.ServeHealth) = (hosting, true)).WaitAsync(Bound);
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var health = new Health.HealthClient(channel);

        HealthCheckResponse overall = await health.CheckAsync(new HealthCheckRequest()).ResponseAsync.WaitAsync(Bound);
        HealthCheckResponse serving = await health.CheckAsync(new HealthCheckRequest { Service = "google.longrunning.Operations" }).ResponseAsync.WaitAsync(Bound);
        fake.GrpcMode = GrpcServingMode.Unimplemented;
        HealthCheckResponse notServing = await health.CheckAsync(new HealthCheckRequest { Service = "google.longrunning.Operations" }).ResponseAsync.WaitAsync(Bound);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, overall.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, serving.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, notServing.Status);
    }

    [Fact]
    public async Task HealthCheck_HealthNotServed_Unimplemented()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        using GrpcChannel channel = fake.CreateGrpcChannel();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest()).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task HealthCheck_WithFaultOnEveryCall_StillServing()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.ServeHealth = true).WaitAsync(Bound);
        fake.Faults.Add(Fault.Status(StatusCode.Unavailable, "down"));
        using GrpcChannel channel = fake.CreateGrpcChannel();

        HealthCheckResponse overall = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest()).ResponseAsync.WaitAsync(Bound);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, overall.Status);
        Assert.Equal(0, fake.Faults.Rules.Single().Hits);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task ListServices_ServeReflection_NamesOperationsAndHealth(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => (o.Hosting, o.ServeHealth, o.ServeReflection) = (hosting, true, true)).WaitAsync(Bound);
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel);

        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = string.Empty }).WaitAsync(Bound);
        await call.RequestStream.CompleteAsync().WaitAsync(Bound);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        string[] services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();

        Assert.Contains("google.longrunning.Operations", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    private static async Task<RpcException> CallAsync(GrpcChannel channel, string service, string method)
    {
        var call = new Method<byte[], byte[]>(MethodType.Unary, service, method, Bytes, Bytes);
        return await Assert.ThrowsAsync<RpcException>(
            () => channel.CreateCallInvoker().AsyncUnaryCall(call, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), []).ResponseAsync);
    }
}
