using System.Net;

namespace VaultGrpc.Internal.GrpcCalls.Connections;

/// <summary>
/// A gRPC request's content, passed through, that holds the request message back until the server
/// has shown that it speaks HTTP/2 (acknowledged our SETTINGS), and records whether it ever began
/// to send it. Until then not one byte of the message has left: a unary gRPC server cannot act on
/// headers without the message, so a failure before that point proves nothing was delivered — and
/// a server that stays silent never gets a request it could act on later.
/// </summary>
/// <remarks>
/// SocketsHttpHandler sends a request right after its connection preface, before the server has
/// said a word. Holding the message costs one round trip, and only on calls made while the channel
/// has no working connection.
/// </remarks>
internal sealed class DeliveryTrackingContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly Func<CancellationToken, Task>? _untilServerSpeaksHttp2;
    private int _started;

    /// <param name="inner">The content to send.</param>
    /// <param name="untilServerSpeaksHttp2">Completes when the message may go; null to send at once.</param>
    public DeliveryTrackingContent(HttpContent inner, Func<CancellationToken, Task>? untilServerSpeaksHttp2)
    {
        _inner = inner;
        _untilServerSpeaksHttp2 = untilServerSpeaksHttp2;
        foreach (KeyValuePair<string, IEnumerable<string>> header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>Whether the message started to leave (it may have reached the server).</summary>
    public bool Started => Volatile.Read(ref _started) != 0;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (_untilServerSpeaksHttp2 is not null)
        {
            await _untilServerSpeaksHttp2(cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _started, 1);
        await _inner.CopyToAsync(stream, context, cancellationToken).ConfigureAwait(false);
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
