using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Time.Testing;
using VaultGrpc.Internal;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.Naming;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>The REST transport against a real Kestrel on loopback, asserting on what the server received.</summary>
public sealed class RestTransportWireTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly CallScope NoDeadline = new(null, CancellationToken.None);

    public static TheoryData<string, string> GoodNames => OperationNameRulesTests.GoodNames;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CancelAsync_Http11_PostExactPathEmptyBodyAndHeaders(bool withCredentials)
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, _) => RecordingRestServer.WriteJsonAsync(context, "{}"));
        using RestTransport transport = RestTransports.ToServer(server.BaseAddress, withCredentials ? VaultCredentials.FromAccessToken("token-123") : VaultCredentials.None);

        await transport.CancelAsync("operations/export 1/é", NoDeadline).WaitAsync(Bound);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("HTTP/1.1", request.Protocol);
        Assert.Equal("/v1/operations/export%201/%C3%A9:cancel", request.RawTarget);
        Assert.Equal(0, request.ContentLength);
        Assert.Equal(0, request.BodyLength);
        Assert.Null(request.ContentType);
        Assert.Equal(RestTransports.ApiClient, request.Headers["x-goog-api-client"]);
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
        using RestTransport transport = RestTransports.ToServer(
            server.BaseAddress,
            withCredentials ? VaultCredentials.FromAccessToken("token-456") : VaultCredentials.None,
            HttpVersion.Version20,
            HttpVersionPolicy.RequestVersionExact);

        await transport.CancelAsync("operations/a?b#c", NoDeadline).WaitAsync(Bound);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("HTTP/2", request.Protocol);
        Assert.Equal("/v1/operations/a%3Fb%23c:cancel", request.RawTarget);
        Assert.Equal(0, request.ContentLength);
        Assert.Equal(0, request.BodyLength);
        Assert.Equal(RestTransports.ApiClient, request.Headers["x-goog-api-client"]);
        Assert.Equal(withCredentials, request.Headers.TryGetValue("authorization", out string? authorization));
        if (withCredentials)
        {
            Assert.Equal("Bearer token-456", authorization);
        }
    }

    [Theory]
    [MemberData(nameof(GoodNames))]
    public async Task GetAsync_GoodName_ServerSeesExactPathAndDecodesOriginalName(string name, string expectedPath)
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(
            HttpProtocols.Http1,
            (context, recorded) => RecordingRestServer.WriteJsonAsync(context, Google.Protobuf.JsonFormatter.Default.Format(new Operation { Name = recorded.RouteName, Done = true })));
        using RestTransport transport = RestTransports.ToServer(server.BaseAddress);

        Operation operation = await transport.GetAsync(name, NoDeadline).WaitAsync(Bound);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(expectedPath, request.RawTarget);
        Assert.Equal(name, request.RouteName);
        Assert.Equal(name, operation.Name);
        Assert.True(operation.Done);
    }

    [Fact]
    public async Task DeleteAsync_Kestrel_DeleteOnNamePath()
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, _) => RecordingRestServer.WriteJsonAsync(context, "{}"));
        using RestTransport transport = RestTransports.ToServer(server.BaseAddress);

        await transport.DeleteAsync("operations/x/y", NoDeadline).WaitAsync(Bound);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("/v1/operations/x/y", request.RawTarget);
    }

    [Fact]
    public async Task ListAsync_AllParameters_Proto3NamesEscapedAndPageParsed()
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(
            HttpProtocols.Http1,
            (context, _) => RecordingRestServer.WriteJsonAsync(context, """{"operations":[{"name":"operations/1","done":true}],"nextPageToken":"p2","unreachable":["x"]}"""));
        using RestTransport transport = RestTransports.ToServer(server.BaseAddress);
        var request = new ListOperationsRequest { Name = "operations", Filter = "done = true & x", PageSize = 50, PageToken = "a+b/c=", ReturnPartialSuccess = true };

        ListOperationsResponse page = await transport.ListAsync(request, NoDeadline).WaitAsync(Bound);

        RecordedRequest recorded = Assert.Single(server.Requests);
        Assert.Equal("GET", recorded.Method);
        Assert.Equal("/v1/operations?filter=done%20%3D%20true%20%26%20x&pageSize=50&pageToken=a%2Bb%2Fc%3D&returnPartialSuccess=true", recorded.RawTarget);
        Assert.Equal("operations/1", Assert.Single(page.Operations).Name);
        Assert.Equal("p2", page.NextPageToken);
    }

    [Fact]
    public async Task ListAsync_DefaultRequest_NoQuery()
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, _) => RecordingRestServer.WriteJsonAsync(context, "{}"));
        using RestTransport transport = RestTransports.ToServer(server.BaseAddress);

        ListOperationsResponse page = await transport.ListAsync(new ListOperationsRequest(), NoDeadline).WaitAsync(Bound);

        Assert.Equal("/v1/operations", Assert.Single(server.Requests).RawTarget);
        Assert.Empty(page.Operations);
    }

    [Fact]
    public async Task GetAsync_ServerRedirects_NotFollowed()
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
        using RestTransport transport = RestTransports.ToServer(server.BaseAddress, VaultCredentials.FromAccessToken("token-789"));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => transport.GetAsync("operations/moved", NoDeadline).WaitAsync(Bound));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Contains("HTTP 302", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("not followed", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("/v1/operations/moved", Assert.Single(server.Requests).RawTarget);
    }

    [Fact]
    public async Task GetAsync_NothingListening_UnavailableWithSocketCause()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using RestTransport transport = RestTransports.ToServer(new Uri($"http://127.0.0.1:{port}"));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => transport.GetAsync("operations/x", NoDeadline).WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.IsType<HttpRequestException>(error.Status.DebugException);
        Assert.IsType<SocketException>(error.Status.DebugException!.InnerException);
    }

    [Fact]
    public async Task GetAsync_DeadlinePassesWhileServerWaits_DeadlineExceeded()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, async (context, _) =>
        {
            arrived.TrySetResult();
            await release.Task.WaitAsync(context.RequestAborted);
        });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using RestTransport transport = RestTransports.ToServer(server.BaseAddress, timeProvider: time);
        var scope = new CallScope(time.GetUtcNow().UtcDateTime.AddSeconds(5), CancellationToken.None);

        Task<Operation> call = transport.GetAsync("operations/slow", scope);
        await arrived.Task.WaitAsync(Bound);
        time.Advance(TimeSpan.FromSeconds(6));
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(Bound));
        release.TrySetResult();

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task GetAsync_DeadlineAlreadyPassed_DeadlineExceededWithoutRequest()
    {
        var handler = StubHttpHandler.Answering(HttpStatusCode.OK, """{"name":"operations/x"}""");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using RestTransport transport = RestTransports.Over(handler, timeProvider: time);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => transport.GetAsync("operations/x", new CallScope(time.GetUtcNow().UtcDateTime, CancellationToken.None)).WaitAsync(Bound));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task GetAsync_CallerCancelsWhileServerWaits_OperationCanceledWithCallerToken()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, async (context, _) =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using RestTransport transport = RestTransports.ToServer(server.BaseAddress, timeProvider: time);
        using var caller = new CancellationTokenSource();

        Task<Operation> call = transport.GetAsync("operations/slow", new CallScope(time.GetUtcNow().UtcDateTime.AddMinutes(1), caller.Token));
        await arrived.Task.WaitAsync(Bound);
        await caller.CancelAsync();
        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Bound));

        Assert.Equal(caller.Token, error.CancellationToken);
    }

    [Fact]
    public async Task GetAsync_CallerTokenAlreadyCancelled_OperationCanceledWithoutRequest()
    {
        var handler = StubHttpHandler.Answering(HttpStatusCode.OK, """{"name":"operations/x"}""");
        using RestTransport transport = RestTransports.Over(handler);
        using var caller = new CancellationTokenSource();
        await caller.CancelAsync();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transport.GetAsync("operations/x", new CallScope(null, caller.Token)).WaitAsync(Bound));

        Assert.Equal(caller.Token, error.CancellationToken);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task GetAsync_KestrelAnswersAip193_SameStatusAsGrpcWould()
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, _) => RecordingRestServer.WriteJsonAsync(
            context,
            """{"error":{"code":404,"message":"Operation operations/x not found.","status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.rpc.ResourceInfo","resourceName":"operations/x"}]}}""",
            404));
        using RestTransport transport = RestTransports.ToServer(server.BaseAddress);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => transport.GetAsync("operations/x", NoDeadline).WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("operations/x", error.GetRpcStatus()!.GetDetail<Google.Rpc.ResourceInfo>()!.ResourceName);
    }

    [Fact]
    public async Task GetAsync_ServerClosesMidBody_UnavailableNotParseError()
    {
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 1000;
            await context.Response.WriteAsync("{\"name\":\"operations/x\",");
            await context.Response.Body.FlushAsync();
            context.Abort();
        });
        using RestTransport transport = RestTransports.ToServer(server.BaseAddress);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => transport.GetAsync("operations/x", NoDeadline).WaitAsync(Bound));

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
}
