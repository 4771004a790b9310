using VaultGrpc.Tests.GrpcCalls.Peers.Http2;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>
/// An h2c server that gets as far as its own SETTINGS frame and then goes silent: it never
/// acknowledges the client's SETTINGS, never answers a PING or a request, and keeps reading and
/// counting everything the client sends.
/// </summary>
internal sealed class SettingsThenSilencePeer : IAsyncDisposable
{
    private readonly LoopbackAcceptor _acceptor;

    public SettingsThenSilencePeer()
    {
        _acceptor = new LoopbackAcceptor(ServeAsync, Log);
        Address = new Uri($"http://127.0.0.1:{_acceptor.Port}");
    }

    public Uri Address { get; }

    public WireLog Log { get; } = new();

    public ValueTask DisposeAsync() => _acceptor.DisposeAsync();

    private Task ServeAsync(AcceptedConnection connection, CancellationToken cancellationToken) =>
        new H2ServerConnection(connection, Log) { AfterPreface = (h2, token) => h2.Writer.SendSettingsAsync(token) }.RunAsync(cancellationToken);
}
