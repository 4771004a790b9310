using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>
/// A port whose SYNs go unanswered, as behind a firewall that drops them: a listening socket with
/// backlog 0 that never accepts, its accept queue filled by our own connections. Linux then drops
/// every further SYN (the listen-overflow path), so a client's connect neither completes nor
/// fails: it retransmits SYNs until its own timeout. Linux only (it reads /proc/net/tcp).
/// </summary>
internal sealed class SynDropPeer : IAsyncDisposable
{
    private const int MaxFillers = 8;

    // The smallest queue: one waiting connection already makes it full.
    private const int Backlog = 0;

    // The TCP state code of a listening socket in /proc/net/tcp.
    private const string ListenState = "0A";

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _fillers = [];

    private SynDropPeer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(Backlog);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary>The h2c address, <c>http://127.0.0.1:port</c>.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>The same port as an https address: the SYN is dropped before TLS could matter.</summary>
    public Uri TlsAddress => new($"https://127.0.0.1:{Port}");

    /// <summary>Connections of our own that fill the accept queue.</summary>
    public int Fillers => _fillers.Count;

    /// <summary>Starts the peer once its accept queue is full, as /proc/net/tcp shows it.</summary>
    /// <exception cref="InvalidOperationException">The queue did not fill (not Linux, or a kernel that behaves otherwise).</exception>
    public static async Task<SynDropPeer> StartAsync(CancellationToken cancellationToken = default)
    {
        var peer = new SynDropPeer();
        try
        {
            await peer.FillAcceptQueueAsync(cancellationToken);
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (Socket filler in _fillers)
        {
            filler.Dispose();
        }

        _listener.Dispose();
        return ValueTask.CompletedTask;
    }

    // Linux counts a listener's queue as full once it holds more than its backlog; each filler
    // connects (its SYN is answered while there is room) and then waits in the queue forever.
    private async Task FillAcceptQueueAsync(CancellationToken cancellationToken)
    {
        while (!IsAcceptQueueFull())
        {
            if (_fillers.Count == MaxFillers)
            {
                throw new InvalidOperationException($"The accept queue of 127.0.0.1:{Port} did not fill with {MaxFillers} connections; SYNs would not be dropped.");
            }

            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _fillers.Add(filler);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(TimeSpan.FromSeconds(10));
            await filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), bounded.Token);

            // The server side queues the connection when our ACK arrives: let it land before counting.
            for (int wait = 0; wait < 100 && QueuedConnections() < _fillers.Count; wait++)
            {
                await Task.Delay(10, cancellationToken);
            }
        }
    }

    private bool IsAcceptQueueFull() => QueuedConnections() > Backlog;

    // For a listening socket, /proc/net/tcp's rx_queue is the accept queue's length.
    private int QueuedConnections()
    {
        string local = $"0100007F:{Port:X4}";
        foreach (string line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[1] == local && fields[3] == ListenState)
            {
                string rxQueue = fields[4].Split(':')[1];
                return int.Parse(rxQueue, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"No listening socket for 127.0.0.1:{Port} in /proc/net/tcp.");
    }
}
