using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>A handler that answers from a function and remembers what it was asked, for pure mapping tests.</summary>
internal sealed class StubHttpHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

    public static StubHttpHandler Answering(HttpStatusCode status, string body, string mediaType = "application/json") =>
        new((_, _) => Task.FromResult(Response(status, body, mediaType)));

    public static HttpResponseMessage Response(HttpStatusCode status, string body, string mediaType = "application/json") => new(status)
    {
        Content = new StringContent(body, Encoding.UTF8, mediaType),
    };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return respond(request, cancellationToken);
    }
}
