using VaultGrpc.Tests.GrpcCalls.Peers.Http2;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>
/// An https endpoint whose TLS handshake never completes: it accepts TCP, reads the ClientHello
/// and everything after it, and never writes a byte — a TLS-inspecting box that hangs.
/// </summary>
internal sealed class TlsStallPeer : IAsyncDisposable
{
    // The first byte of a TLS record carrying a handshake message (RFC 8446 §5.1).
    private const byte TlsHandshakeRecord = 0x16;

    private readonly LoopbackAcceptor _acceptor;

    public TlsStallPeer()
    {
        _acceptor = new LoopbackAcceptor(ServeAsync, Log);
        Address = new Uri($"https://127.0.0.1:{_acceptor.Port}");
    }

    public Uri Address { get; }

    public WireLog Log { get; } = new();

    public ValueTask DisposeAsync() => _acceptor.DisposeAsync();

    private async Task ServeAsync(AcceptedConnection connection, CancellationToken cancellationToken)
    {
        var first = new byte[1];
        if (await connection.Stream.ReadAsync(first, cancellationToken) == 0)
        {
            return;
        }

        Log.RecordBytes(1);
        if (first[0] == TlsHandshakeRecord)
        {
            Log.RecordTlsClientHello();
        }

        await new H2ServerConnection(connection, Log).DrainAsync(cancellationToken);
    }
}
