using VaultGrpc.Tests.GrpcCalls.Peers.Http2;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>
/// A plaintext port that accepts TCP and never speaks: it reads the HTTP/2 preface and every
/// frame (counting them, decoding request HEADERS) and never writes a byte, not even SETTINGS.
/// </summary>
internal sealed class SilentH2cPeer : IAsyncDisposable
{
    private readonly LoopbackAcceptor _acceptor;

    public SilentH2cPeer()
    {
        _acceptor = new LoopbackAcceptor((connection, cancellationToken) => new H2ServerConnection(connection, Log).RunAsync(cancellationToken), Log);
        Address = new Uri($"http://127.0.0.1:{_acceptor.Port}");
    }

    public Uri Address { get; }

    public WireLog Log { get; } = new();

    public ValueTask DisposeAsync() => _acceptor.DisposeAsync();
}
