using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>Every kind of gRPC-side peer the fallback rules name, started once for a test class.</summary>
public sealed class LoopbackPeers : IAsyncLifetime
{
    internal X509Certificate2 Certificate { get; } = SelfSignedCertificate.ForLoopback();

    internal RequestJournal Journal { get; } = new();

    internal KestrelPeer Grpc { get; private set; } = null!;

    internal KestrelPeer Http1OnlyKestrel { get; private set; } = null!;

    internal KestrelPeer Http2Answering503 { get; private set; } = null!;

    internal KestrelPeer Http2AnsweringHtml { get; private set; } = null!;

    internal KestrelPeer Http2Answering404 { get; private set; } = null!;

    internal KestrelPeer TlsHttp1OnlyKestrel { get; private set; } = null!;

    internal RawTcpPeer Http1OnlyRaw { get; } = RawTcpPeer.Http1Only();

    internal RawTcpPeer ResetOnAccept { get; } = RawTcpPeer.ResetOnAccept();

    internal RawTcpPeer TlsWithoutAlpn { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        TlsWithoutAlpn = RawTcpPeer.Http1Only(Certificate);
        Task<KestrelPeer> grpc = GrpcPeer.StartAsync(Journal);
        Task<KestrelPeer> http1 = KestrelPeer.StartAnsweringAsync(HttpProtocols.Http1, 200, "text/plain", "hello");
        Task<KestrelPeer> gateway503 = KestrelPeer.StartAnsweringAsync(HttpProtocols.Http2, 503, "text/plain", "upstream unavailable");
        Task<KestrelPeer> loginPage = KestrelPeer.StartAnsweringAsync(HttpProtocols.Http2, 200, "text/html", "<html><body>Sign in</body></html>");
        Task<KestrelPeer> notFound = KestrelPeer.StartAnsweringAsync(HttpProtocols.Http2, 404, "text/plain", "not found");
        Task<KestrelPeer> tlsHttp1 = KestrelPeer.StartAnsweringAsync(HttpProtocols.Http1, 200, "text/plain", "hello", Certificate);
        Grpc = await grpc;
        Http1OnlyKestrel = await http1;
        Http2Answering503 = await gateway503;
        Http2AnsweringHtml = await loginPage;
        Http2Answering404 = await notFound;
        TlsHttp1OnlyKestrel = await tlsHttp1;
    }

    public async Task DisposeAsync()
    {
        foreach (KestrelPeer? peer in new[] { Grpc, Http1OnlyKestrel, Http2Answering503, Http2AnsweringHtml, Http2Answering404, TlsHttp1OnlyKestrel })
        {
            if (peer is not null)
            {
                await peer.DisposeAsync();
            }
        }

        await Http1OnlyRaw.DisposeAsync();
        await ResetOnAccept.DisposeAsync();
        if (TlsWithoutAlpn is not null)
        {
            await TlsWithoutAlpn.DisposeAsync();
        }

        Certificate.Dispose();
    }
}
