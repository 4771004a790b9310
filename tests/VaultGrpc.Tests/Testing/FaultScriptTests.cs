using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;
using StatusCode = Grpc.Core.StatusCode;

namespace VaultGrpc.Tests.Testing;

/// <summary>Every fault kind on the transports it applies to, seen by the generated stub and by a plain HttpClient.</summary>
public sealed class FaultScriptTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<FakeHosting> Hostings => new() { FakeHosting.InMemory, FakeHosting.Sockets };

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task Status_WithDetails_GrpcTrailerCarriesDetails(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Faults.Add(Fault.Status(StatusCode.PermissionDenied, "no access", new ErrorInfo { Reason = "ACCESS_DENIED", Domain = "vault.googleapis.com" }));
        using GrpcChannel channel = fake.CreateGrpcChannel();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Get(channel));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("no access", error.Status.Detail);
        Google.Rpc.Status status = error.GetRpcStatus()!;
        Assert.Equal("ACCESS_DENIED", status.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal(FaultKind.Status, fake.Journal.Last!.Fault);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task Status_WithDetails_RestJsonDetailsArray(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Faults.Add(Fault.Status(StatusCode.Unavailable, "try later", new ErrorInfo { Reason = "BACKEND_DOWN" }), transport: Transport.Rest);
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.GetAsync("/v1/operations/a").WaitAsync(Bound);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        JsonElement detail = json.RootElement.GetProperty("error").GetProperty("details")[0];
        Assert.Equal("type.googleapis.com/google.rpc.ErrorInfo", detail.GetProperty("@type").GetString());
        Assert.Equal("BACKEND_DOWN", detail.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Add_NextTwoCallsOfOneMethod_ThirdServedAndOthersUntouched()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.InMemory);
        FaultRule rule = fake.Faults.Add(Fault.Status(StatusCode.Unavailable, "blip"), OperationsMethod.Get, Transport.Grpc, times: 2);
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        await stub.CancelOperationAsync(new CancelOperationRequest { Name = "operations/b" }).ResponseAsync.WaitAsync(Bound);
        await Assert.ThrowsAsync<RpcException>(() => Get(channel));
        await Assert.ThrowsAsync<RpcException>(() => Get(channel));
        Operation third = await Get(channel);

        Assert.Equal("operations/a", third.Name);
        Assert.Equal(2, rule.Hits);
        Assert.Equal(0, rule.Remaining);
    }

    [Fact]
    public async Task Add_FractionWithSeed_SameCallsHitForTheSameSeed()
    {
        async Task<bool[]> RunAsync()
        {
            await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.RandomSeed = 42).WaitAsync(Bound);
            fake.Store.AddRunning("operations/a");
            fake.Faults.Add(Fault.Status(StatusCode.Unavailable, "flaky"), probability: 0.5);
            using HttpClient http = fake.CreateRestClient();
            var outcomes = new bool[40];
            for (int i = 0; i < outcomes.Length; i++)
            {
                using HttpResponseMessage response = await http.GetAsync("/v1/operations/a").WaitAsync(Bound);
                outcomes[i] = response.IsSuccessStatusCode;
            }

            return outcomes;
        }

        bool[] first = await RunAsync();
        bool[] second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains(true, first);
        Assert.Contains(false, first);
    }

    [Fact]
    public async Task Latency_Added_CallStillServedAndFaultJournaled()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.InMemory);
        fake.Faults.Add(Fault.Latency(TimeSpan.FromMilliseconds(100)), times: 1);
        using GrpcChannel channel = fake.CreateGrpcChannel();

        Operation operation = await Get(channel);

        Assert.Equal("operations/a", operation.Name);
        Assert.Equal(FaultKind.Latency, fake.Journal.Last!.Fault);
        Assert.Equal(StatusCode.OK, fake.Journal.Last!.Status);
    }

    [Fact]
    public async Task Latency_LongerThanDeadline_DeadlineExceeded()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Faults.Add(Fault.Latency(TimeSpan.FromSeconds(30)));
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => stub.GetOperationAsync(
            new GetOperationRequest { Name = "operations/a" }, deadline: DateTime.UtcNow.AddMilliseconds(200)).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Theory]
    [InlineData(2, StatusCode.Internal)]
    [InlineData(7, StatusCode.Unavailable)]
    [InlineData(8, StatusCode.Cancelled)]
    public async Task ResetStream_GrpcOverSockets_StubMapsTheResetCode(int http2Code, StatusCode expected)
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Faults.Add(Fault.ResetStream(http2Code), times: 1);
        using GrpcChannel channel = fake.CreateGrpcChannel();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Get(channel));
        Operation next = await Get(channel);

        Assert.Equal(expected, error.StatusCode);
        Assert.Equal("operations/a", next.Name);
        Assert.Equal(0, fake.Journal.Entries[0].HttpStatus);
        Assert.Equal(FaultKind.ResetStream, fake.Journal.Entries[0].Fault);
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task AbortConnection_Grpc_StubFailsThenRecovers(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Faults.Add(Fault.AbortConnection(), times: 1);
        using GrpcChannel channel = fake.CreateGrpcChannel();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Get(channel));
        Operation next = await Get(channel);

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        Assert.Equal("operations/a", next.Name);
    }

    [Theory]
    [InlineData(FakeHosting.InMemory, false)]
    [InlineData(FakeHosting.Sockets, false)]
    [InlineData(FakeHosting.Sockets, true)]
    public async Task ResetStream_Rest_ClientSeesBrokenResponse(FakeHosting hosting, bool http2)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Faults.Add(Fault.ResetStream(), transport: Transport.Rest, times: 1);
        using HttpClient http = fake.CreateRestClient(http2);

        Exception error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using HttpResponseMessage response = await http.GetAsync("/v1/operations/a").WaitAsync(Bound);
            await response.Content.ReadAsStringAsync();
        });

        Assert.True(error is HttpRequestException or IOException, error.ToString());
    }

    [Theory]
    [InlineData(RestBodyKind.Malformed)]
    [InlineData(RestBodyKind.Empty)]
    [InlineData(RestBodyKind.Html)]
    [InlineData(RestBodyKind.Truncated)]
    public async Task RestBody_EachKind_BodyIsNotAnOperation(RestBodyKind kind)
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Faults.Add(Fault.RestBody(kind), times: 1);
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage broken = await http.GetAsync("/v1/operations/a").WaitAsync(Bound);
        string brokenBody = await broken.Content.ReadAsStringAsync();
        using HttpResponseMessage whole = await http.GetAsync("/v1/operations/a").WaitAsync(Bound);
        string wholeBody = await whole.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(brokenBody));
        Assert.Equal(kind == RestBodyKind.Html ? "text/html" : "application/json", broken.Content.Headers.ContentType!.MediaType);
        if (kind == RestBodyKind.Empty)
        {
            Assert.Empty(brokenBody);
        }

        if (kind == RestBodyKind.Truncated)
        {
            Assert.StartsWith(brokenBody, wholeBody, StringComparison.Ordinal);
            Assert.True(brokenBody.Length < wholeBody.Length);
        }
    }

    [Fact]
    public async Task RestBody_HtmlWith502_StatusAsGiven()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.InMemory);
        fake.Faults.Add(Fault.RestBody(RestBodyKind.Html, 502));
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.GetAsync("/v1/operations/a").WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("<html>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestBody_OnGrpcCall_NotApplied()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.InMemory);
        FaultRule rule = fake.Faults.Add(Fault.RestBody(RestBodyKind.Malformed));
        using GrpcChannel channel = fake.CreateGrpcChannel();

        Operation operation = await Get(channel);

        Assert.Equal("operations/a", operation.Name);
        Assert.Equal(0, rule.Hits);
    }

    [Fact]
    public async Task TooManyRequests_Rest_429WithRetryAfterAndRetryInfo()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.InMemory);
        fake.Faults.Add(Fault.TooManyRequests(TimeSpan.FromSeconds(2.5)));
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.GetAsync("/v1/operations/a").WaitAsync(Bound);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter!.Delta);
        JsonElement error = json.RootElement.GetProperty("error");
        Assert.Equal("RESOURCE_EXHAUSTED", error.GetProperty("status").GetString());
        Assert.Equal("2.500s", error.GetProperty("details")[0].GetProperty("retryDelay").GetString());
    }

    [Fact]
    public async Task TooManyRequests_Grpc_ResourceExhaustedWithRetryInfo()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Faults.Add(Fault.TooManyRequests(TimeSpan.FromSeconds(2)));
        using GrpcChannel channel = fake.CreateGrpcChannel();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Get(channel));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), error.GetRpcStatus()!.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
    }

    [Theory]
    [MemberData(nameof(Hostings))]
    public async Task Hang_Grpc_HeldUntilClientDeadline(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Faults.Add(Fault.Hang());
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        // A second is long enough for the request to reach the fake on a loaded machine.
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => stub.GetOperationAsync(
            new GetOperationRequest { Name = "operations/a" }, deadline: DateTime.UtcNow.AddSeconds(1)).ResponseAsync.WaitAsync(Bound));
        await FakeServerRpcTests.WaitUntilAsync(() => fake.Journal.Last is { Completed: true });

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Null(fake.Journal.Last!.Status);
    }

    [Fact]
    public async Task Hang_Rest_HeldUntilClientCancels()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Faults.Add(Fault.Hang());
        using HttpClient http = fake.CreateRestClient();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.GetAsync("/v1/operations/a", cancel.Token).WaitAsync(Bound));
        await FakeServerRpcTests.WaitUntilAsync(() => fake.Journal.Last is { Completed: true });

        Assert.Equal(FaultKind.Hang, fake.Journal.Last!.Fault);
    }

    [Fact]
    public async Task DisposeAsync_WithAHungCall_StopsPromptly()
    {
        FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Faults.Add(Fault.Hang());
        using HttpClient http = fake.CreateRestClient();
        Task<HttpResponseMessage> hung = http.GetAsync("/v1/operations/a");
        await FakeServerRpcTests.WaitUntilAsync(() => fake.Journal.Count() == 1);

        await fake.DisposeAsync().AsTask().WaitAsync(Bound);

        await Assert.ThrowsAnyAsync<Exception>(() => hung.WaitAsync(Bound));
    }

    private static async Task<FakeOperationsServer> StartAsync(FakeHosting hosting)
    {
        FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        fake.Store.AddRunning("operations/a");
        fake.Store.AddRunning("operations/b");
        return fake;
    }

    private static Task<Operation> Get(GrpcChannel channel)
        => new Operations.OperationsClient(channel).GetOperationAsync(new GetOperationRequest { Name = "operations/a" }).ResponseAsync.WaitAsync(Bound);
}
