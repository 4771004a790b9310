using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>
/// A hand-written peer on 127.0.0.1 for the answers Kestrel will not give: a plain HTTP/1.1 server
/// that knows nothing of HTTP/2 (as nginx or Python's http.server without h2), a TLS terminator
/// that does not negotiate ALPN, and a socket that is closed as soon as it is accepted.
/// </summary>
internal sealed class RawTcpPeer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private readonly bool _resetOnClose;

    private RawTcpPeer(Func<Stream, CancellationToken, Task> serve, X509Certificate2? certificate, bool resetOnClose = false)
    {
        _resetOnClose = resetOnClose;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        int port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Address = new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{port}");
        _acceptLoop = AcceptLoopAsync(serve, certificate);
    }

    public Uri Address { get; }

    /// <summary>Answers whatever arrives with an HTTP/1.1 400 and closes, as an HTTP/1.1-only server does.</summary>
    public static RawTcpPeer Http1Only(X509Certificate2? certificate = null) => new(AnswerHttp1BadRequestAsync, certificate);

    /// <summary>Accepts the connection and resets it at once, before any response.</summary>
    public static RawTcpPeer ResetOnAccept() => new((_, _) => Task.CompletedTask, certificate: null, resetOnClose: true);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private static async Task AnswerHttp1BadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        _ = await stream.ReadAsync(buffer, cancellationToken);
        byte[] answer = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request");
        await stream.WriteAsync(answer, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    // Send FIN and read until the client closes, so that unread client bytes never turn the close
    // into an RST: the client then reliably reads the answer instead of racing a reset.
    private async Task CloseGracefullyAsync(Socket socket)
    {
        socket.Shutdown(SocketShutdown.Send);
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        drain.CancelAfter(TimeSpan.FromSeconds(5));
        var buffer = new byte[4096];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, drain.Token) > 0)
        {
        }
    }

    private async Task AcceptLoopAsync(Func<Stream, CancellationToken, Task> serve, X509Certificate2? certificate)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
            _ = ServeOneAsync(socket, serve, certificate);
        }
    }

    private async Task ServeOneAsync(Socket socket, Func<Stream, CancellationToken, Task> serve, X509Certificate2? certificate)
    {
        if (_resetOnClose)
        {
            // Linger 0: closing sends RST, not FIN, like a middlebox killing the connection.
            socket.LingerState = new LingerOption(true, 0);
        }

        try
        {
            await using var network = new NetworkStream(socket, ownsSocket: true);
            if (certificate is null)
            {
                await serve(network, _stop.Token);
            }
            else
            {
                // No ApplicationProtocols: the ServerHello carries no ALPN choice at all.
                await using var tls = new SslStream(network);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, _stop.Token);
                await serve(tls, _stop.Token);
            }

            if (!_resetOnClose)
            {
                await CloseGracefullyAsync(socket);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // The client hanging up mid-way is what some of these tests provoke.
        }
    }
}
