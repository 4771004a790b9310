using System.Net;
using System.Security.Cryptography.X509Certificates;
using VaultGrpc.Testing;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Testing;

/// <summary>The fake over TLS (FakeServerOptions.ServerCertificate), which the proxy tests stand on.</summary>
[Trait("Category", "Reliability")]
public sealed class FakeServerTlsTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly X509Certificate2 _certificate = SelfSignedCertificate.ForLoopback();

    [Fact]
    public async Task StartAsync_ServerCertificate_ServesBothTransportsOverTls()
    {
        await using FakeOperationsServer fake = await StartAsync();
        fake.Store.AddRunning("operations/a");
        fake.Store.AddRunning("operations/b");
        using var auto = VaultOperationsClient.Create(fake.CreateClientOptions());
        VaultOperationsClientOptions restOptions = fake.CreateClientOptions();
        restOptions.TransportMode = TransportMode.RestOnly;
        using var rest = VaultOperationsClient.Create(restOptions);

        VaultCallInfo overGrpc = await auto.CancelAsync("operations/a").WaitAsync(Bound);
        VaultCallInfo overRest = await rest.CancelAsync("operations/b").WaitAsync(Bound);

        Assert.Equal(Uri.UriSchemeHttps, fake.GrpcAddress.Scheme);
        Assert.Equal(Uri.UriSchemeHttps, fake.RestAddress.Scheme);
        Assert.Equal(Uri.UriSchemeHttps, fake.RestHttp2Address!.Scheme);
        Assert.Equal((Transport.Grpc, FallbackReason.None), (overGrpc.Transport, overGrpc.Fallback));
        Assert.Equal(Transport.Rest, overRest.Transport);
        Assert.Equal(
            new[] { (Transport.Grpc, "HTTP/2"), (Transport.Rest, "HTTP/1.1") },
            fake.Journal.Entries.Select(e => (e.Transport, e.Protocol)));
    }

    [Fact]
    public async Task CreateRestClient_Http2OverTls_NegotiatesH2ByAlpn()
    {
        await using FakeOperationsServer fake = await StartAsync();
        fake.Store.AddRunning("operations/a");
        using HttpClient http = fake.CreateRestClient(http2: true);

        using HttpResponseMessage response = await http.GetAsync("/v1/operations/a").WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    [Fact]
    public async Task CreateGrpcHandler_AnotherServersCertificate_IsRefused()
    {
        await using FakeOperationsServer fake = await StartAsync();
        using X509Certificate2 other = SelfSignedCertificate.ForLoopback();
        await using FakeOperationsServer impostor = await FakeOperationsServer.StartAsync(o =>
        {
            o.Hosting = FakeHosting.Sockets;
            o.ServerCertificate = other;
        }).WaitAsync(Bound);
        using var http = new HttpClient(fake.CreateRestHandler(), disposeHandler: false) { BaseAddress = impostor.RestAddress };

        // The fake's handlers trust its own certificate only, not any self-signed one.
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/v1/operations/a").WaitAsync(Bound));

        Assert.Equal(HttpRequestError.SecureConnectionError, refused.HttpRequestError);
    }

    [Fact]
    public async Task StartAsync_ServerCertificateInMemory_IsRefused()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => FakeOperationsServer.StartAsync(o => o.ServerCertificate = _certificate));

        Assert.Contains("ServerCertificate needs FakeHosting.Sockets", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _certificate.Dispose();

    private Task<FakeOperationsServer> StartAsync() => FakeOperationsServer.StartAsync(o =>
    {
        o.Hosting = FakeHosting.Sockets;
        o.ServerCertificate = _certificate;
    }).WaitAsync(Bound);
}
