using System.Security.Cryptography.X509Certificates;
using VaultGrpc.Testing;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Proxies;

/// <summary>
/// A corporate HTTPS proxy that tunnels (CONNECT), here Debian's tinyproxy: gRPC over TLS inside the
/// tunnel must work, so calls stay on gRPC; the proxy's own log proves they went through it.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ConnectProxyTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly X509Certificate2 _certificate = SelfSignedCertificate.ForLoopback();
    private FakeOperationsServer _fake = null!;
    private TinyproxyServer _proxy = null!;

    public async Task InitializeAsync()
    {
        // Only the tests that have tinyproxy get here (ProxyFact skips the others before this runs).
        _fake = await FakeOperationsServer.StartAsync(o =>
        {
            o.Hosting = FakeHosting.Sockets;
            o.ServerCertificate = _certificate;
        }).WaitAsync(Bound);
        _fake.Store.AddRunning(3, "operations/p-");
        _proxy = await TinyproxyServer.StartAsync().WaitAsync(Bound);
    }

    [ProxyFact("tinyproxy")]
    public async Task Calls_HttpClientHandlerThroughConnectProxy_AreServedOverGrpcInsideTheTunnel()
    {
        using HttpClientHandler grpc = ProxiedHandlers.ClientHandler(_proxy.Address, TlsTrust.Pinned(_certificate));
        using HttpClientHandler rest = ProxiedHandlers.ClientHandler(_proxy.Address, TlsTrust.Pinned(_certificate));
        using var client = VaultOperationsClient.Create(ProxiedHandlers.Options(_fake, grpc, rest));

        VaultCallInfo cancelled = await client.CancelAsync("operations/p-00000").WaitAsync(Bound);
        VaultCallInfo got = (await client.GetAsync("operations/p-00001").WaitAsync(Bound)).Call;
        VaultCallInfo deleted = await client.DeleteAsync("operations/p-00002").WaitAsync(Bound);

        Assert.All([cancelled, got, deleted], call => Assert.Equal((Transport.Grpc, FallbackReason.None), (call.Transport, call.Fallback)));
        Assert.All(_fake.Journal.Entries, entry => Assert.Equal((Transport.Grpc, "HTTP/2"), (entry.Transport, entry.Protocol)));
        Assert.Equal(3, _fake.Journal.Count());
        Assert.True(_proxy.ConnectCount(_fake.GrpcAddress) >= 1, _proxy.Diagnostics());
        Assert.Equal(0, _proxy.ConnectCount(_fake.RestAddress));
    }

    [ProxyFact("tinyproxy")]
    public async Task CancelAsync_SocketsHandlerWithBalancingDisabledThroughConnectProxy_IsServedOverGrpc()
    {
        using SocketsHttpHandler grpc = ProxiedHandlers.Sockets(_proxy.Address, TlsTrust.Pinned(_certificate));
        grpc.Properties[ProxiedHandlers.GrpcLoadBalancingDisabled] = true;
        using SocketsHttpHandler rest = ProxiedHandlers.Sockets(_proxy.Address, TlsTrust.Pinned(_certificate));
        using var client = VaultOperationsClient.Create(ProxiedHandlers.Options(_fake, grpc, rest));

        VaultCallInfo cancelled = await client.CancelAsync("operations/p-00000").WaitAsync(Bound);

        Assert.Equal((Transport.Grpc, FallbackReason.None), (cancelled.Transport, cancelled.Fallback));
        Assert.Equal(1, _fake.Journal.Count(Transport.Grpc, OperationsMethod.Cancel));
        Assert.Equal(1, _proxy.ConnectCount(_fake.GrpcAddress));
    }

    /// <summary>
    /// What Grpc.Net.Client 2.85 does with a proxied SocketsHttpHandler it may balance: its
    /// ConnectCallback is asked for the tunnel to the proxy, finds no subchannel and fails. The call
    /// still succeeds, over REST through the same proxy. If grpc-dotnet learns proxies, this fails:
    /// then the library's switch (GrpcChannelFactory) can go.
    /// </summary>
    [ProxyFact("tinyproxy")]
    public async Task CancelAsync_SocketsHandlerLeftToGrpcBalancer_FallsBackToRestThroughTheProxy()
    {
        using SocketsHttpHandler grpc = ProxiedHandlers.Sockets(_proxy.Address, TlsTrust.Pinned(_certificate));
        using SocketsHttpHandler rest = ProxiedHandlers.Sockets(_proxy.Address, TlsTrust.Pinned(_certificate));
        using var client = VaultOperationsClient.Create(ProxiedHandlers.Options(_fake, grpc, rest));

        VaultCallInfo cancelled = await client.CancelAsync("operations/p-00000").WaitAsync(Bound);

        Assert.Equal((Transport.Rest, FallbackReason.GrpcNoConnection), (cancelled.Transport, cancelled.Fallback));
        Assert.Contains("Unable to get subchannel", cancelled.FallbackDetail, StringComparison.Ordinal);
        Assert.Equal(0, _fake.Journal.Count(Transport.Grpc));
        Assert.Equal(1, _fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));
        Assert.Equal(1, _proxy.ConnectCount(_fake.RestAddress));
    }

    [ProxyFact("tinyproxy")]
    public async Task VaultOpsCancel_HttpsProxyVariable_IsServedOverGrpcThroughTheProxy()
    {
        using var directory = new TemporaryDirectory("vaultgrpc-trust-");
        string trusted = directory.File("fake.pem");
        await File.WriteAllTextAsync(trusted, _certificate.ExportCertificatePem());

        (int exitCode, var results, string diagnostics) = await VaultOpsProcess.RunAsync(
            ["cancel", "operations/p-00000", "--endpoint", _fake.GrpcAddress.ToString(), "--rest-endpoint", _fake.RestAddress.ToString(), "--no-auth", "--output", "json"],
            _proxy.Address,
            trusted,
            directory.Path);

        Assert.True(exitCode == 0, diagnostics);
        var result = Assert.Single(results);
        Assert.Equal("grpc", (string?)result["transport"]);
        Assert.Null(result["fallback"]);
        Assert.Equal(1, _fake.Journal.Count(Transport.Grpc, OperationsMethod.Cancel));
        Assert.Equal(0, _fake.Journal.Count(Transport.Rest));
        Assert.True(_proxy.ConnectCount(_fake.GrpcAddress) == 1, _proxy.Diagnostics());
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }

        _certificate.Dispose();
    }
}
