using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Proxies;

/// <summary>
/// A corporate proxy that intercepts TLS and speaks HTTP/1.1 only, here Debian's mitmproxy with
/// HTTP/2 off: ALPN never yields h2, so gRPC cannot be served, and the call must move to REST
/// through the same proxy — a move that is safe even for Delete, since no gRPC request was sent.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class InterceptingProxyTests(InterceptingProxyFixture proxies) : IClassFixture<InterceptingProxyFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private FakeOperationsServer _fake = null!;

    private MitmdumpServer Proxy => proxies.Proxy;

    public async Task InitializeAsync()
    {
        _fake = await FakeOperationsServer.StartAsync(o =>
        {
            o.Hosting = FakeHosting.Sockets;
            o.ServerCertificate = proxies.Certificate;
        }).WaitAsync(Bound);
        _fake.Store.AddRunning(2, "operations/i-");
    }

    [ProxyFact("mitmdump")]
    public async Task CancelAsync_Http1InterceptingProxy_FallsBackToRestThroughTheProxy()
    {
        using HttpClientHandler grpc = ProxiedHandlers.ClientHandler(Proxy.Address, TlsTrust.IssuedBy(Proxy.Authority));
        using HttpClientHandler rest = ProxiedHandlers.ClientHandler(Proxy.Address, TlsTrust.IssuedBy(Proxy.Authority));
        using var client = VaultOperationsClient.Create(ProxiedHandlers.Options(_fake, grpc, rest));

        VaultCallInfo first = await client.CancelAsync("operations/i-00000").WaitAsync(Bound);
        VaultCallInfo second = await client.CancelAsync("operations/i-00001").WaitAsync(Bound);

        Assert.Equal((Transport.Rest, FallbackReason.GrpcNotServed), (first.Transport, first.Fallback));
        Assert.Contains("HTTP/2", first.FallbackDetail, StringComparison.Ordinal);
        Assert.Equal((Transport.Rest, FallbackReason.StickyRest), (second.Transport, second.Fallback));
        Assert.Equal(0, _fake.Journal.Count(Transport.Grpc));
        Assert.All(_fake.Journal.Entries, entry => Assert.Equal((Transport.Rest, OperationsMethod.Cancel, "HTTP/1.1"), (entry.Transport, entry.Method, entry.Protocol)));
        Assert.Equal(2, _fake.Journal.Count());
        // The gRPC attempt did reach the proxy (a tunnel to the gRPC port), and REST went through it too.
        Assert.True(Proxy.ServerConnects(_fake.GrpcAddress) >= 1, Proxy.Output);
        Assert.Contains($"POST {RestUrl("/v1/operations/i-00000:cancel")}", Proxy.RequestLines());
    }

    [ProxyFact("mitmdump")]
    public async Task DeleteAsync_Http1InterceptingProxy_DeletesOnceOverRest()
    {
        using HttpClientHandler grpc = ProxiedHandlers.ClientHandler(Proxy.Address, TlsTrust.IssuedBy(Proxy.Authority));
        using HttpClientHandler rest = ProxiedHandlers.ClientHandler(Proxy.Address, TlsTrust.IssuedBy(Proxy.Authority));
        using var client = VaultOperationsClient.Create(ProxiedHandlers.Options(_fake, grpc, rest));

        VaultCallInfo deleted = await client.DeleteAsync("operations/i-00000").WaitAsync(Bound);

        Assert.Equal((Transport.Rest, FallbackReason.GrpcNotServed), (deleted.Transport, deleted.Fallback));
        var delete = Assert.Single(_fake.Journal.Where(method: OperationsMethod.Delete));
        Assert.Equal((Transport.Rest, Grpc.Core.StatusCode.OK), (delete.Transport, delete.Status));
        Assert.Null(_fake.Store.Find("operations/i-00000"));
    }

    [ProxyFact("mitmdump")]
    public async Task VaultOpsCancel_HttpsProxyVariableToInterceptingProxy_FallsBackToRest()
    {
        using var directory = new TemporaryDirectory("vaultgrpc-trust-");
        string trusted = directory.File("proxy-ca.pem");
        await File.WriteAllTextAsync(trusted, Proxy.Authority.ExportCertificatePem());

        (int exitCode, var results, string diagnostics) = await VaultOpsProcess.RunAsync(
            ["cancel", "operations/i-00000", "--endpoint", _fake.GrpcAddress.ToString(), "--rest-endpoint", _fake.RestAddress.ToString(), "--no-auth", "--output", "json"],
            Proxy.Address,
            trusted,
            directory.Path);

        Assert.True(exitCode == 0, diagnostics);
        var result = Assert.Single(results);
        Assert.Equal(("rest", "grpc_not_served"), ((string?)result["transport"], (string?)result["fallback"]));
        Assert.Equal(0, _fake.Journal.Count(Transport.Grpc));
        Assert.Equal(1, _fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));
    }

    public async Task DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }

    private string RestUrl(string path) => new Uri(_fake.RestAddress, path).ToString();
}
