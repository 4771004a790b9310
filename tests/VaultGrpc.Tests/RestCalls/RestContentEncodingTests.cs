using System.IO.Compression;
using System.Net;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>
/// Compressed REST answers from a real Kestrel on loopback: the invoker asks for them in one
/// <c>Accept-Encoding</c> header and decodes them itself (its default handler does not decompress),
/// success and error bodies alike, within the body limit, and says so when it cannot.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RestContentEncodingTests
{
    private const string Name = "operations/export-1";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly string OperationJson = $"{{\"name\":\"{Name}\",\"done\":true}}";

    [Theory]
    [InlineData("gzip")]
    [InlineData("x-gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    [InlineData("identity")]
    public async Task GetAsync_EncodedAnswer_DecodedByTheInvoker(string encoding)
    {
        await using RecordingRestServer server = await StartAsync((context, _) => WriteEncodedAsync(context, 200, OperationJson, encoding));
        using RestStub rest = RestStub.ToServer(server.BaseAddress);

        Operation operation = await rest.GetAsync(Name).WaitAsync(Bound);

        Assert.Equal(Name, operation.Name);
        Assert.True(operation.Done);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("gzip, deflate, br", request.Headers["accept-encoding"]);
    }

    [Fact]
    public async Task GetAsync_GzipErrorBody_ServerStatusAndMessageKept()
    {
        const string error = """{"error":{"code":404,"message":"Operation export-1 was not found.","status":"NOT_FOUND"}}""";
        await using RecordingRestServer server = await StartAsync((context, _) => WriteEncodedAsync(context, 404, error, "gzip"));
        using RestStub rest = RestStub.ToServer(server.BaseAddress);

        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync(Name).WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, failure.StatusCode);
        Assert.Equal("Operation export-1 was not found.", failure.Status.Detail);
    }

    [Fact]
    public async Task GetAsync_EncodingNotOffered_InternalNamingTheEncoding()
    {
        await using RecordingRestServer server = await StartAsync((context, _) => WriteEncodedAsync(context, 200, OperationJson, "zstd"));
        using RestStub rest = RestStub.ToServer(server.BaseAddress);

        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync(Name).WaitAsync(Bound));

        Assert.Equal(StatusCode.Internal, failure.StatusCode);
        Assert.Contains("encoded as 'zstd'", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_ErrorBodyInAnEncodingNotOffered_HttpStatusStillMapped()
    {
        await using RecordingRestServer server = await StartAsync((context, _) => WriteEncodedAsync(context, 403, "{}", "zstd"));
        using RestStub rest = RestStub.ToServer(server.BaseAddress);

        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync(Name).WaitAsync(Bound));

        Assert.Equal(StatusCode.PermissionDenied, failure.StatusCode);
    }

    [Fact]
    public async Task GetAsync_ManyStackedEncodings_RefusedBeforeDecoding()
    {
        await using RecordingRestServer server = await StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentEncoding = string.Join(", ", Enumerable.Repeat("gzip", 500));
            await context.Response.Body.WriteAsync(Compress(Encoding.UTF8.GetBytes(OperationJson), "gzip"));
        });
        using RestStub rest = RestStub.ToServer(server.BaseAddress);

        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync(Name).WaitAsync(Bound));

        Assert.Equal(StatusCode.Internal, failure.StatusCode);
        Assert.Contains("stacks 500 content encodings", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task GetAsync_CorruptErrorBody_HttpStatusStillMapped(string encoding)
    {
        await using RecordingRestServer server = await StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentEncoding = encoding;
            await context.Response.Body.WriteAsync(Enumerable.Range(0, 64).Select(i => (byte)(i * 37)).ToArray());
        });
        using RestStub rest = RestStub.ToServer(server.BaseAddress);

        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync(Name).WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, failure.StatusCode);
    }

    [Fact]
    public async Task GetAsync_CorruptGzip_InternalNotACrash()
    {
        await using RecordingRestServer server = await StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentEncoding = "gzip";
            await context.Response.Body.WriteAsync("this is not gzip at all"u8.ToArray());
        });
        using RestStub rest = RestStub.ToServer(server.BaseAddress);

        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => rest.GetAsync(Name).WaitAsync(Bound));

        Assert.Equal(StatusCode.Internal, failure.StatusCode);
    }

    [Fact]
    public async Task GetAsync_GzipBombOverTheLimit_RefusedAfterTheLimitNotInflated()
    {
        // 8 MB of spaces inside a valid Operation compress to a few KB; the limit is 64 KB decoded.
        string padded = "{\"name\":\"" + Name + "\"," + new string(' ', 8 * 1024 * 1024) + "\"done\":true}";
        byte[] compressed = Compress(Encoding.UTF8.GetBytes(padded), "gzip");
        await using RecordingRestServer server = await StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = compressed.Length;
            await context.Response.Body.WriteAsync(compressed);
        });
        using var invoker = new RestCallInvoker(server.BaseAddress, InvokerOptions(maxBody: 64 * 1024));
        var stub = new Operations.OperationsClient(invoker);

        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => stub.GetOperationAsync(new GetOperationRequest { Name = Name }).ResponseAsync.WaitAsync(Bound));

        Assert.True(compressed.Length < 64 * 1024, $"the compressed body is {compressed.Length} bytes");
        Assert.Equal(StatusCode.ResourceExhausted, failure.StatusCode);
        Assert.Contains("larger than 65536 bytes", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_CallersHandlerDecompresses_DecodedOnceAndOneAcceptEncoding()
    {
        await using RecordingRestServer server = await StartAsync((context, _) => WriteEncodedAsync(context, 200, OperationJson, "gzip"));
        using var decompressing = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All };
        using RestStub rest = RestStub.Over(decompressing, server.BaseAddress);

        Operation operation = await rest.GetAsync(Name).WaitAsync(Bound);

        Assert.Equal(Name, operation.Name);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("gzip, deflate, br", request.Headers["accept-encoding"]);
    }

    [Fact]
    public async Task GetAsync_CallersPlainHandlerUnderADelegatingOne_AsksAndDecodes()
    {
        await using RecordingRestServer server = await StartAsync((context, _) => WriteEncodedAsync(context, 200, OperationJson, "gzip"));
        using var chain = new PassThrough(new SocketsHttpHandler());
        using RestStub rest = RestStub.Over(chain, server.BaseAddress);

        Operation operation = await rest.GetAsync(Name).WaitAsync(Bound);

        Assert.Equal(Name, operation.Name);
        Assert.Equal("gzip, deflate, br", Assert.Single(server.Requests).Headers["accept-encoding"]);
    }

    [Fact]
    public async Task GetAsync_CallersHandlerOfUnknownKind_NotAskedForCompression()
    {
        await using RecordingRestServer server = await StartAsync((context, _) => RecordingRestServer.WriteJsonAsync(context, OperationJson));
        using var unknown = new ForwardingHandler();
        using RestStub rest = RestStub.Over(unknown, server.BaseAddress);

        Operation operation = await rest.GetAsync(Name).WaitAsync(Bound);

        Assert.Equal(Name, operation.Name);
        Assert.False(Assert.Single(server.Requests).Headers.ContainsKey("accept-encoding"));
    }

    private static Task<RecordingRestServer> StartAsync(Func<HttpContext, RecordedRequest, Task> respond) =>
        RecordingRestServer.StartAsync(HttpProtocols.Http1, respond);

    private static async Task WriteEncodedAsync(HttpContext context, int status, string json, string encoding)
    {
        byte[] body = Compress(Encoding.UTF8.GetBytes(json), encoding);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.ContentEncoding = encoding;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    }

    private static byte[] Compress(byte[] plain, string encoding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" or "x-gzip" => new GZipStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true),
            "deflate" => new ZLibStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true),
            "br" => new BrotliStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true),
            _ => new NoEncoding(output),
        })
        {
            compressor.Write(plain);
        }

        return output.ToArray();
    }

    private static RestCallInvokerOptions InvokerOptions(int maxBody)
    {
        var options = new RestCallInvokerOptions { Credentials = VaultCredentials.None, MaxResponseBodyBytes = maxBody };
        options.Services.Add(OperationsReflection.Descriptor.Services[0]);
        return options;
    }

    private sealed class PassThrough(HttpMessageHandler inner) : DelegatingHandler(inner);

    // A handler the invoker cannot see into: it must not assume it decodes nothing.
    private sealed class ForwardingHandler : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _inner = new(new SocketsHttpHandler());

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _inner.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            _inner.Dispose();
            base.Dispose(disposing);
        }
    }

    // "identity" and encodings the test server pretends to use: the bytes as they are.
    private sealed class NoEncoding(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
