using System.Net;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.Internal.RestCalls;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>
/// REST answers that are not a success, or not a readable success, through the stub over
/// RestCallInvoker: the RpcException gRPC would have raised, with the server's text made safe.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RestErrorMappingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<int, StatusCode> HttpTable => new()
    {
        { 400, StatusCode.InvalidArgument },
        { 401, StatusCode.Unauthenticated },
        { 403, StatusCode.PermissionDenied },
        { 404, StatusCode.NotFound },
        { 409, StatusCode.Aborted },
        { 416, StatusCode.OutOfRange },
        { 429, StatusCode.ResourceExhausted },
        { 499, StatusCode.Cancelled },
        { 405, StatusCode.FailedPrecondition },
        { 412, StatusCode.FailedPrecondition },
        { 501, StatusCode.Unimplemented },
        { 503, StatusCode.Unavailable },
        { 504, StatusCode.DeadlineExceeded },
        { 500, StatusCode.Internal },
        { 502, StatusCode.Internal },
        { 507, StatusCode.Internal },
    };

    [Theory]
    [MemberData(nameof(HttpTable))]
    public async Task GetOperation_HtmlErrorBody_CodeFromHttpWithSnippet(int httpStatus, StatusCode expected)
    {
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(
            (HttpStatusCode)httpStatus, "<html>\n  <body>   Proxy   says no </body></html>", "text/html"));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(expected, error.StatusCode);
        Assert.Contains($"HTTP {httpStatus}", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("\"<html> <body> Proxy says no </body></html>\"", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("text/html", error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(error.GetRpcStatus());
    }

    [Theory]
    [MemberData(nameof(HttpTable))]
    public async Task CancelOperation_Aip193BodyWithoutStatus_CodeFromHttpMessageFromBody(int httpStatus, StatusCode expected)
    {
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(
            (HttpStatusCode)httpStatus, $$$"""{"error":{"code":{{{httpStatus}}},"message":"the service said so"}}"""));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.CancelAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(expected, error.StatusCode);
        Assert.Equal("the service said so", error.Status.Detail);
        Assert.Equal((int)expected, error.GetRpcStatus()!.Code);
    }

    [Fact]
    public async Task GetOperation_Aip193WithStatusAndDetails_StatusWinsAndDetailsReadable()
    {
        const string Body = """
            {"error":{"code":400,"message":"Operation is locked.","status":"FAILED_PRECONDITION","details":[
              {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"LOCKED","domain":"vault.googleapis.com","metadata":{"matter":"m1"}},
              {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2.500s"},
              {"@type":"type.googleapis.com/vault.internal.Mystery","depth":3}
            ]}}
            """;
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.BadRequest, Body));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("Operation is locked.", error.Status.Detail);
        Google.Rpc.Status status = error.GetRpcStatus()!;
        Assert.Equal((int)Code.FailedPrecondition, status.Code);
        Assert.Equal("Operation is locked.", status.Message);
        ErrorInfo info = status.GetDetail<ErrorInfo>()!;
        Assert.Equal("LOCKED", info.Reason);
        Assert.Equal("m1", info.Metadata["matter"]);
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromMilliseconds(2500)), status.GetDetail<RetryInfo>()!.RetryDelay);
        Struct mystery = status.Details[2].Unpack<Struct>();
        Assert.Equal("type.googleapis.com/vault.internal.Mystery", mystery.Fields["@type"].StringValue);
        Assert.Equal(3, mystery.Fields["depth"].NumberValue);
    }

    [Fact]
    public async Task DeleteOperation_BareRpcStatus_CodeFromBodyDetailsReadable()
    {
        const string Body = """{"code":5,"message":"no such operation","details":[{"@type":"type.googleapis.com/google.rpc.ResourceInfo","resourceName":"operations/x"}]}""";
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.NotFound, Body));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.DeleteAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no such operation", error.Status.Detail);
        Assert.Equal("operations/x", error.GetRpcStatus()!.GetDetail<ResourceInfo>()!.ResourceName);
    }

    [Fact]
    public async Task GetOperation_BareStatusCodeDisagreesWithHttp_BodyCodeWins()
    {
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.InternalServerError, """{"code":7,"message":"denied"}"""));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task GetOperation_BodyClaimsOk_CodeFromHttp()
    {
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.ServiceUnavailable, """{"code":0,"message":"fine?"}"""));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("fine?", error.Status.Detail);
    }

    [Theory]
    [InlineData("", "(empty)")]
    [InlineData("   \r\n ", "(white space only)")]
    [InlineData("{\"error\":{\"code\":404,\"mess", "\"{\"error\":{\"code\":404,\"mess\"")]
    [InlineData("\u0001\u0002garbage\u0000", "\"garbage\"")]
    [InlineData("[1,2,3]", "\"[1,2,3]\"")]
    [InlineData("{\"unrelated\":true}", "\"{\"unrelated\":true}\"")]
    public async Task GetOperation_UnparseableErrorBody_CodeFromHttpSnippetInMessage(string body, string snippet)
    {
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.NotFound, body, "text/plain"));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains(snippet, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOperation_HugeHtmlErrorBody_SnippetBounded()
    {
        string body = "<html>" + new string('x', 1024 * 1024) + "</html>";
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.BadGateway, body, "text/html"));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.True(error.Status.Detail.Length < 400, error.Status.Detail);
        Assert.EndsWith("…\"", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOperation_TooManyRequestsWithRetryAfter_ResourceExhaustedWithRetryAfterTrailer()
    {
        var handler = new StubHttpHandler((_, _) =>
        {
            HttpResponseMessage response = StubHttpHandler.Response(HttpStatusCode.TooManyRequests, """{"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED"}}""");
            response.Headers.TryAddWithoutValidation("Retry-After", "7");
            return Task.FromResult(response);
        });
        using RestStub rest = RestStub.Over(handler);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("7", error.Trailers.GetValue(RestErrors.RetryAfterTrailer));
    }

    [Theory]
    [InlineData("<html><body>Sign in to continue</body></html>", "text/html")]
    [InlineData("{\"name\":\"operations/x\",\"do", "application/json")]
    [InlineData("{\"name\":42}", "application/json")]
    [InlineData("null", "application/json")]
    [InlineData("\"operations/x\"", "application/json")]
    public async Task GetOperation_SuccessStatusWithGarbage_InternalWithSnippet(string body, string mediaType)
    {
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.OK, body, mediaType));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("HTTP 200", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(body[..Math.Min(body.Length, 10)], error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelOperation_SuccessWithHtmlLoginPage_Internal()
    {
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.OK, "<html>login</html>", "text/html"));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.CancelAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("text/html", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData(" { } ")]
    [InlineData("{\"unknownField\":1}")]
    public async Task CancelAndDelete_EmptyOrEmptyObjectBody_Succeed(string body)
    {
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.OK, body));

        await rest.CancelAsync("operations/x").WaitAsync(Bound);
        await rest.DeleteAsync("operations/x").WaitAsync(Bound);
    }

    [Fact]
    public async Task GetOperation_EmptySuccessBody_Internal()
    {
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.OK, ""));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("empty body", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOperation_SuccessBodyOverLimit_ResourceExhaustedWithoutParsing()
    {
        string body = "{\"name\":\"operations/x\",\"metadata\":{\"@type\":\"type.googleapis.com/google.protobuf.Struct\",\"value\":{\"pad\":\""
            + new string('p', new RestCallInvokerOptions().MaxResponseBodyBytes) + "\"}}}";
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.OK, body));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task GetOperation_HandlerThrowsHttpRequestException_UnavailableWithDebugException()
    {
        var cause = new HttpRequestException("Connection reset by peer");
        using RestStub rest = RestStub.Over(new StubHttpHandler((_, _) => throw cause));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Same(cause, error.Status.DebugException);
    }

    [Fact]
    public async Task GetOperation_BodyStreamBreaks_Unavailable()
    {
        var handler = new StubHttpHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new BrokenStream()),
        }));
        using RestStub rest = RestStub.Over(handler);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.IsAssignableFrom<IOException>(error.Status.DebugException);
    }

    [Fact]
    public async Task GetOperation_RedirectAnswer_NotFollowedAndReported()
    {
        var handler = new StubHttpHandler((_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Found) { Content = new StringContent("") };
            response.Headers.Location = new Uri("https://login.example.com/sso?state=secret");
            return Task.FromResult(response);
        });
        using RestStub rest = RestStub.Over(handler);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync("operations/x").WaitAsync(Bound));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Contains("https://login.example.com/sso", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Status.Detail, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    private sealed class BrokenStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("The response ended prematurely.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
