using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Time.Testing;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.Naming;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>
/// The REST side against a real Kestrel on loopback, asserting on what the server received: the
/// RestOnly client for what it sends (headers included), the stub over RestCallInvoker for the
/// invoker's routes, deadlines and failures.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RestWireTests
{
    private const string ApiClientSuffix = "wire-test/1";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<string, string> GoodNames => OperationNameRulesTests.GoodNames;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CancelAsync_Http11_PostExactPathEmptyBodyAndHeaders(bool withCredentials)
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, _) => RecordingRestServer.WriteJsonAsync(context, "{}"));
        using VaultOperationsClient client = RestOnlyClient(server.BaseAddress, withCredentials ? VaultCredentials.FromAccessToken("token-123") : VaultCredentials.None);

        await client.CancelAsync("operations/export 1/é").WaitAsync(Bound);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("HTTP/1.1", request.Protocol);
        Assert.Equal("/v1/operations/export%201/%C3%A9:cancel", request.RawTarget);
        Assert.Equal(0, request.ContentLength);
        Assert.Equal(0, request.BodyLength);
        Assert.Null(request.ContentType);
        Assert.EndsWith(" " + ApiClientSuffix, request.Headers["x-goog-api-client"], StringComparison.Ordinal);
        Assert.Equal("name=operations%2Fexport%201%2F%C3%A9", request.Headers["x-goog-request-params"]);
        Assert.Equal("application/json", request.Headers["accept"]);
        if (withCredentials)
        {
            Assert.Equal("Bearer token-123", request.Headers["authorization"]);
        }
        else
        {
            Assert.False(request.Headers.ContainsKey("authorization"));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CancelAsync_H2c_PostExactPathEmptyBodyAndHeaders(bool withCredentials)
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http2, (context, _) => RecordingRestServer.WriteJsonAsync(context, "{}"));
        using var http2 = new Http2PriorKnowledgeHandler();
        using VaultOperationsClient client = RestOnlyClient(server.BaseAddress, withCredentials ? VaultCredentials.FromAccessToken("token-456") : VaultCredentials.None, http2);

        await client.CancelAsync("operations/a?b#c").WaitAsync(Bound);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("HTTP/2", request.Protocol);
        Assert.Equal("/v1/operations/a%3Fb%23c:cancel", request.RawTarget);
        Assert.Equal(0, request.ContentLength);
        Assert.Equal(0, request.BodyLength);
        Assert.EndsWith(" " + ApiClientSuffix, request.Headers["x-goog-api-client"], StringComparison.Ordinal);
        Assert.Equal(withCredentials, request.Headers.TryGetValue("authorization", out string? authorization));
        if (withCredentials)
        {
            Assert.Equal("Bearer token-456", authorization);
        }
    }

    [Theory]
    [MemberData(nameof(GoodNames))]
    public async Task GetOperation_GoodName_ServerSeesExactPathAndDecodesOriginalName(string name, string expectedPath)
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(
            HttpProtocols.Http1,
            (context, recorded) => RecordingRestServer.WriteJsonAsync(context, Google.Protobuf.JsonFormatter.Default.Format(new Operation { Name = recorded.RouteName, Done = true })));
        using RestStub rest = RestStub.ToServer(server.BaseAddress);

        Operation operation = await rest.GetAsync(name).WaitAsync(Bound);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(expectedPath, request.RawTarget);
        Assert.Equal(name, request.RouteName);
        Assert.Equal(name, operation.Name);
        Assert.True(operation.Done);
    }

    [Fact]
    public async Task DeleteOperation_Kestrel_DeleteOnNamePathWithEmptyBody()
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, _) => RecordingRestServer.WriteJsonAsync(context, "{}"));
        using RestStub rest = RestStub.ToServer(server.BaseAddress);

        await rest.DeleteAsync("operations/x/y").WaitAsync(Bound);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("/v1/operations/x/y", request.RawTarget);
        Assert.Equal(0, request.ContentLength);
    }

    [Fact]
    public async Task ListOperations_AllParameters_Proto3NamesEscapedAndPageParsed()
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(
            HttpProtocols.Http1,
            (context, _) => RecordingRestServer.WriteJsonAsync(context, """{"operations":[{"name":"operations/1","done":true}],"nextPageToken":"p2","unreachable":["x"]}"""));
        using RestStub rest = RestStub.ToServer(server.BaseAddress);
        var request = new ListOperationsRequest { Name = "operations", Filter = "done = true & x", PageSize = 50, PageToken = "a+b/c=", ReturnPartialSuccess = true };

        ListOperationsResponse page = await rest.ListAsync(request).WaitAsync(Bound);

        RecordedRequest recorded = Assert.Single(server.Requests);
        Assert.Equal("GET", recorded.Method);
        Assert.Equal("/v1/operations?filter=done%20%3D%20true%20%26%20x&pageSize=50&pageToken=a%2Bb%2Fc%3D&returnPartialSuccess=true", recorded.RawTarget);
        Assert.Equal("operations/1", Assert.Single(page.Operations).Name);
        Assert.Equal("p2", page.NextPageToken);
        Assert.Equal(["x"], page.Unreachable);
    }

    [Fact]
    public async Task ListOperations_DefaultRequestOnCollection_NoQuery()
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, _) => RecordingRestServer.WriteJsonAsync(context, "{}"));
        using RestStub rest = RestStub.ToServer(server.BaseAddress);

        ListOperationsResponse page = await rest.ListAsync(new ListOperationsRequest { Name = "operations" }).WaitAsync(Bound);

        Assert.Equal("/v1/operations", Assert.Single(server.Requests).RawTarget);
        Assert.Empty(page.Operations);
    }

    [Fact]
    public async Task GetOperation_ServerRedirects_NotFollowed()
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, recorded) =>
        {
            if (recorded.RawTarget.StartsWith("/v1/operations/moved", StringComparison.Ordinal))
            {
                context.Response.Redirect("/v1/operations/elsewhere");
                return Task.CompletedTask;
            }

            return RecordingRestServer.WriteJsonAsync(context, """{"name":"operations/elsewhere"}""");
        });
        using RestStub rest = RestStub.ToServer(server.BaseAddress, VaultCredentials.FromAccessToken("token-789"));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/moved").WaitAsync(Bound));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Contains("HTTP 302", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("not followed", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("/v1/operations/moved", Assert.Single(server.Requests).RawTarget);
    }

    [Fact]
    public async Task GetOperation_NothingListening_UnavailableWithSocketCause()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using RestStub rest = RestStub.ToServer(new Uri($"http://127.0.0.1:{port}"));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.IsType<HttpRequestException>(error.Status.DebugException);
        Assert.IsType<SocketException>(error.Status.DebugException!.InnerException);
    }

    [Fact]
    public async Task GetOperation_DeadlinePassesWhileServerWaits_DeadlineExceeded()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, async (context, _) =>
        {
            arrived.TrySetResult();
            await release.Task.WaitAsync(context.RequestAborted);
        });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using RestStub rest = RestStub.ToServer(server.BaseAddress, timeProvider: time);

        Task<Operation> call = rest.GetAsync("operations/slow", new CallOptions(deadline: time.GetUtcNow().UtcDateTime.AddSeconds(5)));
        await arrived.Task.WaitAsync(Bound);
        time.Advance(TimeSpan.FromSeconds(6));
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(Bound));
        release.TrySetResult();

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task GetOperation_DeadlineAlreadyPassed_DeadlineExceededWithoutRequest()
    {
        var handler = StubHttpHandler.Answering(HttpStatusCode.OK, """{"name":"operations/x"}""");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using RestStub rest = RestStub.Over(handler, timeProvider: time);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x", new CallOptions(deadline: time.GetUtcNow().UtcDateTime)).WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Client_CallerCancelsWhileServerWaits_OperationCanceledWithCallerToken()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, async (context, _) =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using VaultOperationsClient client = RestOnlyClient(server.BaseAddress, VaultCredentials.None);
        using var caller = new CancellationTokenSource();

        Task<VaultResponse<Operation>> call = client.GetAsync("operations/slow", TimeSpan.FromMinutes(1), caller.Token);
        await arrived.Task.WaitAsync(Bound);
        await caller.CancelAsync();
        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Bound));

        Assert.Equal(caller.Token, error.CancellationToken);
    }

    [Fact]
    public async Task GetOperation_CallerTokenAlreadyCancelled_CancelledWithoutRequest()
    {
        var handler = StubHttpHandler.Answering(HttpStatusCode.OK, """{"name":"operations/x"}""");
        using RestStub rest = RestStub.Over(handler);
        using var caller = new CancellationTokenSource();
        await caller.CancelAsync();

        // As a gRPC channel reports it by default; the client turns it into OperationCanceledException.
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x", new CallOptions(cancellationToken: caller.Token)).WaitAsync(Bound));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task GetOperation_KestrelAnswersAip193_SameStatusAsGrpcWould()
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, _) => RecordingRestServer.WriteJsonAsync(
            context,
            """{"error":{"code":404,"message":"Operation operations/x not found.","status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.rpc.ResourceInfo","resourceName":"operations/x"}]}}""",
            404));
        using RestStub rest = RestStub.ToServer(server.BaseAddress);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("operations/x", error.GetRpcStatus()!.GetDetail<Google.Rpc.ResourceInfo>()!.ResourceName);
    }

    [Fact]
    public async Task GetOperation_ServerClosesMidBody_UnavailableNotParseError()
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 1000;
            await context.Response.WriteAsync("{\"name\":\"operations/x\",");
            await context.Response.Body.FlushAsync();
            context.Abort();
        });
        using RestStub rest = RestStub.ToServer(server.BaseAddress);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Client_RestOnlyOverDefaultHandler_CancelReachesRestEndpoint()
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, _) => RecordingRestServer.WriteJsonAsync(context, "{}"));
        using VaultOperationsClient client = VaultOperationsClient.Create(options =>
        {
            options.Endpoint = new Uri("http://127.0.0.1:1");
            options.RestEndpoint = server.BaseAddress;
            options.TransportMode = TransportMode.RestOnly;
            options.Credentials = VaultCredentials.FromAccessToken("client-token");
            options.ApiClientSuffix = "wire-test/1";
        });

        VaultCallInfo info = await client.CancelAsync("operations/x y").WaitAsync(Bound);

        Assert.Equal(Transport.Rest, info.Transport);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/v1/operations/x%20y:cancel", request.RawTarget);
        Assert.Equal("Bearer client-token", request.Headers["authorization"]);
        Assert.EndsWith(" wire-test/1", request.Headers["x-goog-api-client"], StringComparison.Ordinal);
    }

    // RestOnly to restEndpoint (gRPC's endpoint left unused), through the client's own handler unless one is given.
    private static VaultOperationsClient RestOnlyClient(Uri restEndpoint, VaultCredentials credentials, HttpMessageHandler? handler = null) =>
        VaultOperationsClient.Create(options =>
        {
            options.Endpoint = new Uri("http://127.0.0.1:1");
            options.RestEndpoint = restEndpoint;
            options.TransportMode = TransportMode.RestOnly;
            options.Credentials = credentials;
            options.RestHttpHandler = handler;
            options.ApiClientSuffix = ApiClientSuffix;
        });

    /// <summary>
    /// Sends every request as HTTP/2 with prior knowledge (h2c): the client speaks HTTP/1.1 to a
    /// plaintext endpoint, so a REST front that only speaks h2c needs a handler such as this one.
    /// </summary>
    private sealed class Http2PriorKnowledgeHandler() : DelegatingHandler(RestHttpDefaults.CreateDefaultHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
