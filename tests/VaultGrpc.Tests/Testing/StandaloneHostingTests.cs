using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Testing;

/// <summary>What a standalone fake process (the CLI's fake-server) relies on: fixed ports, seeding, running until cancelled.</summary>
public sealed class StandaloneHostingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StartAsync_FixedPorts_ListensThere()
    {
        int grpcPort = FreePort();
        int restPort = FreePort();
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o =>
        {
            o.Hosting = FakeHosting.Sockets;
            o.GrpcPort = grpcPort;
            o.RestPort = restPort;
            o.RestHttp2Port = -1;
            o.SeedRunningOperations = 3;
        }).WaitAsync(Bound);
        using GrpcChannel channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}") };

        Operation operation = await new Operations.OperationsClient(channel).GetOperationAsync(new GetOperationRequest { Name = "operations/seed-00002" }).ResponseAsync.WaitAsync(Bound);
        using HttpResponseMessage rest = await http.GetAsync("/v1/operations/seed-00000").WaitAsync(Bound);

        Assert.Equal(new Uri($"http://127.0.0.1:{grpcPort}"), fake.GrpcAddress);
        Assert.Equal(new Uri($"http://127.0.0.1:{restPort}"), fake.RestAddress);
        Assert.Null(fake.RestHttp2Address);
        Assert.Equal("operations/seed-00002", operation.Name);
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
    }

    [Fact]
    public async Task RunUntilCancelledAsync_TokenFires_ReturnsWithoutThrowing()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = FakeHosting.Sockets).WaitAsync(Bound);
        using var stop = new CancellationTokenSource();

        Task running = fake.RunUntilCancelledAsync(stop.Token);
        bool endedEarly = running.IsCompleted;
        stop.Cancel();
        await running.WaitAsync(Bound);

        Assert.False(endedEarly);
        Assert.True(running.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CreateClientOptions_RequiredToken_AddressesAndCredentialsSet()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o =>
        {
            o.Hosting = FakeHosting.Sockets;
            o.RequiredBearerToken = "tok";
        }).WaitAsync(Bound);

        VaultOperationsClientOptions options = fake.CreateClientOptions();

        Assert.Equal(fake.GrpcAddress, options.Endpoint);
        Assert.Equal(fake.RestAddress, options.RestEndpoint);
        Assert.Equal("access-token", options.Credentials.Description);
        Assert.Null(options.GrpcHttpHandler);
        Assert.Empty(options.GetValidationErrors());
    }

    [Fact]
    public async Task CreateClientOptions_InMemory_HandlersAndNoCredentials()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);

        VaultOperationsClientOptions options = fake.CreateClientOptions();

        Assert.NotNull(options.GrpcHttpHandler);
        Assert.NotNull(options.RestHttpHandler);
        Assert.Same(VaultCredentials.None, options.Credentials);
        Assert.Empty(options.GetValidationErrors());
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ListsEveryProblem()
    {
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => FakeOperationsServer.StartAsync(o =>
        {
            o.GrpcPort = -5;
            o.SeedRunningOperations = -1;
        }));

        Assert.Contains("GrpcPort", error.Message, StringComparison.Ordinal);
        Assert.Contains("SeedRunningOperations", error.Message, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
