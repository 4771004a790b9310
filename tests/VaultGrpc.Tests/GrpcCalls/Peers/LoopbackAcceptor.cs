using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>One connection a peer accepted: its number (1 for the first), socket, and the stream to serve (TLS when the peer has a certificate).</summary>
internal sealed record AcceptedConnection(int Number, Socket Socket, Stream Stream);

/// <summary>
/// The accept loop the hand-written peers share: 127.0.0.1, a port the OS picks, each connection
/// counted in the <see cref="WireLog"/> and served on its own task. Disposing stops accepting,
/// closes every connection still open and waits for every serving task, so no peer outlives its test.
/// </summary>
internal sealed class LoopbackAcceptor : IAsyncDisposable
{
    private static readonly TimeSpan DisposeBound = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<AcceptedConnection, CancellationToken, Task> _serve;
    private readonly X509Certificate2? _certificate;
    private readonly WireLog _log;
    private readonly List<(Socket Socket, Task Serving)> _connections = [];
    private readonly Task _acceptLoop;

    /// <param name="serve">Serves one connection; returning (or throwing) closes it.</param>
    /// <param name="log">Where connections are counted.</param>
    /// <param name="certificate">When given, TLS with ALPN h2 is negotiated before <paramref name="serve"/> runs.</param>
    public LoopbackAcceptor(Func<AcceptedConnection, CancellationToken, Task> serve, WireLog log, X509Certificate2? certificate = null)
    {
        _serve = serve;
        _log = log;
        _certificate = certificate;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public CancellationToken Stopping => _stop.Token;

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        await Quietly(_acceptLoop);

        (Socket Socket, Task Serving)[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        foreach ((Socket socket, _) in connections)
        {
            socket.Dispose();
        }

        foreach ((_, Task serving) in connections)
        {
            await Quietly(serving);
        }

        _stop.Dispose();
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.WaitAsync(DisposeBound);
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
            int number = _log.RecordConnection();
            lock (_connections)
            {
                _connections.Add((socket, ServeAsync(socket, number)));
            }
        }
    }

    private async Task ServeAsync(Socket socket, int number)
    {
        // Off the accept loop: serving must never delay the next accept.
        await Task.Yield();
        try
        {
            // A response goes out as several small frames: Nagle would hold each behind the client's delayed ACK.
            socket.NoDelay = true;
            await using var network = new NetworkStream(socket, ownsSocket: true);
            if (_certificate is null)
            {
                await _serve(new AcceptedConnection(number, socket, network), _stop.Token);
                return;
            }

            await using var tls = new SslStream(network);
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions { ServerCertificate = _certificate, ApplicationProtocols = [SslApplicationProtocol.Http2] },
                _stop.Token);
            await _serve(new AcceptedConnection(number, socket, tls), _stop.Token);
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException or AuthenticationException)
        {
            // The client hanging up, a reset the peer itself sent, or disposal: what these peers provoke.
        }
        catch (Exception exception)
        {
            _log.RecordPeerFault(exception);
        }
        finally
        {
            socket.Dispose();
            _log.RecordConnectionEnded();
        }
    }
}
