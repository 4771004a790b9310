using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using VaultGrpc.Tests.GrpcCalls.Peers.Http2;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>
/// A minimal HTTP/2 server on raw frames (no Kestrel, so nothing is smoothed over): it sends its
/// SETTINGS, acknowledges the client's SETTINGS and PINGs, keeps the connection receive window
/// open, and for every complete request runs one scripted <see cref="H2Action"/> — an answer, a
/// stream or connection reset, a GOAWAY. <see cref="Log"/> says what arrived, per :path.
/// </summary>
internal sealed class ScriptedH2Peer : IAsyncDisposable
{
    private readonly Func<ReceivedRequest, int, H2Action> _script;
    private readonly LoopbackAcceptor _acceptor;

    /// <param name="script">Chooses the action for a request, given its ordinal across the peer (1 for the first).</param>
    /// <param name="certificate">When given, the peer speaks TLS with ALPN h2 (https); otherwise h2c.</param>
    public ScriptedH2Peer(Func<ReceivedRequest, int, H2Action> script, X509Certificate2? certificate = null)
    {
        _script = script;
        _acceptor = new LoopbackAcceptor(ServeAsync, Log, certificate);
        Address = new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{_acceptor.Port}");
    }

    public Uri Address { get; }

    public WireLog Log { get; } = new();

    /// <summary>Every request gets <paramref name="action"/>.</summary>
    public static ScriptedH2Peer Always(H2Action action, X509Certificate2? certificate = null) => new((_, _) => action, certificate);

    /// <summary>Request number <paramref name="ordinal"/> (1 for the first) gets <paramref name="action"/>; every other one an empty gRPC OK.</summary>
    public static ScriptedH2Peer OnRequest(int ordinal, H2Action action, X509Certificate2? certificate = null) =>
        new((_, n) => n == ordinal ? action : H2Action.GrpcOk, certificate);

    public ValueTask DisposeAsync() => _acceptor.DisposeAsync();

    private Task ServeAsync(AcceptedConnection connection, CancellationToken cancellationToken) =>
        new H2ServerConnection(connection, Log)
        {
            AfterPreface = (h2, token) => h2.Writer.SendSettingsAsync(token),
            OnFrame = AnswerConnectionFrameAsync,
            OnRequest = (h2, request, ordinal, token) => ActAsync(h2, request, _script(request, ordinal), token),
        }.RunAsync(cancellationToken);

    private static Task AnswerConnectionFrameAsync(H2ServerConnection h2, H2Frame frame, CancellationToken cancellationToken) => frame.Type switch
    {
        H2FrameType.Settings when !frame.Has(H2Frame.Ack) => h2.Writer.SendSettingsAckAsync(cancellationToken),
        H2FrameType.Ping when !frame.Has(H2Frame.Ack) => h2.Writer.SendPingAckAsync(frame.Payload, cancellationToken),
        // Give back what the client spent so a long-lived connection never stalls on flow control.
        H2FrameType.Data when frame.Payload.Length > 0 => h2.Writer.SendWindowUpdateAsync(0, frame.Payload.Length, cancellationToken),
        _ => Task.CompletedTask,
    };

    private static async Task ActAsync(H2ServerConnection h2, ReceivedRequest request, H2Action action, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case H2Action.RespondAction respond:
                await RespondAsync(h2.Writer, request.StreamId, respond.Response, cancellationToken);
                break;
            case H2Action.RedirectToSelfAction redirect:
                string self = $"{request.Header(":scheme")}://{request.Header(":authority")}{request.Path}";
                await RespondAsync(h2.Writer, request.StreamId, H2Response.Redirect(redirect.Status, self), cancellationToken);
                break;
            case H2Action.ResetStreamAction reset:
                await h2.Writer.SendRstStreamAsync(request.StreamId, reset.Error, cancellationToken);
                break;
            case H2Action.GoAwayAction goAway:
                // Client streams are odd: the one before this request's is two below it.
                int lastStreamId = goAway.LastStreamIdBelowRequest ? Math.Max(0, request.StreamId - 2) : request.StreamId;
                await h2.Writer.SendGoAwayAsync(lastStreamId, goAway.Error, cancellationToken);
                h2.Finished = true;
                h2.Connection.Socket.Shutdown(SocketShutdown.Send);
                break;
            case H2Action.ResetConnectionAction:
                h2.Finished = true;
                h2.Connection.Socket.LingerState = new LingerOption(true, 0);
                h2.Connection.Socket.Close();
                break;
            case H2Action.NoAnswerAction:
                break;
        }
    }

    private static async Task RespondAsync(H2FrameWriter writer, int streamId, H2Response response, CancellationToken cancellationToken)
    {
        bool headersEndStream = response.Data.Count == 0 && response.Trailers is null;
        await writer.SendHeadersAsync(streamId, HpackEncoder.Encode(response.Headers), headersEndStream, cancellationToken);
        for (int i = 0; i < response.Data.Count; i++)
        {
            bool last = i == response.Data.Count - 1 && response.Trailers is null;
            await writer.SendDataAsync(streamId, response.Data[i], last, cancellationToken);
        }

        if (response.Trailers is not null)
        {
            await writer.SendHeadersAsync(streamId, HpackEncoder.Encode(response.Trailers), endStream: true, cancellationToken);
        }
    }
}
