using System.Net;

namespace VaultGrpc.Internal.GrpcCalls.Connections;

/// <summary>
/// A gRPC request's content, passed through, that records whether SocketsHttpHandler ever asked
/// for it. Until it does, not one byte of the request message has left: a unary gRPC server cannot
/// act on headers without the message, so a failure before that point proves nothing was delivered.
/// </summary>
internal sealed class DeliveryTrackingContent : HttpContent
{
    private readonly HttpContent _inner;
    private int _started;

    public DeliveryTrackingContent(HttpContent inner)
    {
        _inner = inner;
        foreach (KeyValuePair<string, IEnumerable<string>> header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>Whether the HTTP stack started to send the message (it may have reached the server).</summary>
    public bool Started => Volatile.Read(ref _started) != 0;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _started, 1);
        return _inner.CopyToAsync(stream, context, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
