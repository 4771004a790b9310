using System.Security.Cryptography.X509Certificates;

namespace VaultGrpc.Tests.Proxies;

/// <summary>
/// Debian's mitmproxy (<c>mitmdump</c>) as a TLS-intercepting corporate proxy that speaks HTTP/1.1
/// only (<c>http2=false</c>): it answers CONNECT, ends the client's TLS with a certificate from its
/// own CA, and forwards each request over a TLS connection of its own to the server, whose
/// certificate it checks against the one given. On a free loopback port, with a fresh confdir (so a
/// fresh CA) each time.
/// </summary>
internal sealed class MitmdumpServer : IAsyncDisposable
{
    // Python and a fresh CA key: slower to start than a C daemon.
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    private readonly TemporaryDirectory _directory;
    private readonly ExternalProcess _process;

    private MitmdumpServer(TemporaryDirectory directory, ExternalProcess process, int port)
    {
        _directory = directory;
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>Where clients send their proxy requests.</summary>
    public Uri Address { get; }

    /// <summary>The CA the proxy signs its certificates with; a client behind it trusts this (as a company's managed machines do).</summary>
    public X509Certificate2 Authority { get; private set; } = null!;

    /// <summary>Starts mitmdump, trusting <paramref name="upstream"/> as the server's certificate; a port taken in between is tried again with another.</summary>
    public static async Task<MitmdumpServer> StartAsync(X509Certificate2 upstream)
    {
        string binary = ProxyBinaries.Mitmdump.Path ?? throw new InvalidOperationException(ProxyBinaries.Mitmdump.MissingReason);
        for (int attempt = 1; ; attempt++)
        {
            var directory = new TemporaryDirectory("vaultgrpc-mitmproxy-");
            string upstreamPem = directory.File("upstream.pem");
            await File.WriteAllTextAsync(upstreamPem, upstream.ExportCertificatePem());
            int port = ExternalProcess.FreeLoopbackPort();
            ExternalProcess process = ExternalProcess.Start(
                binary,
                [
                    "--listen-host", "127.0.0.1",
                    "--listen-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--set", "confdir=" + directory.Path,
                    // The point of this proxy: HTTP/1.1 only, on both sides (ALPN never offers h2).
                    "--set", "http2=false",
                    "--set", "ssl_verify_upstream_trusted_ca=" + upstreamPem,
                    // Connect upstream as soon as a tunnel is asked for (the default, stated so that
                    // each tunnel shows in the log as "server connect host:port").
                    "--set", "connection_strategy=eager",
                    // One line per request and its answer on standard output.
                    "--set", "flow_detail=1",
                ],
                directory.Path,
                // Each line as it happens (Python buffers a pipe), and no proxy of the machine's in
                // the way of its upstream connections.
                new Dictionary<string, string?> { ["PYTHONUNBUFFERED"] = "1", ["HTTPS_PROXY"] = null, ["https_proxy"] = null, ["HTTP_PROXY"] = null, ["http_proxy"] = null, ["ALL_PROXY"] = null, ["all_proxy"] = null });
            var server = new MitmdumpServer(directory, process, port);
            try
            {
                await process.WaitListeningAsync(port, StartBound);
                server.Authority = X509CertificateLoader.LoadCertificateFromFile(directory.File("mitmproxy-ca-cert.pem"));
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>What mitmdump printed: one line per connection event and per request it forwarded.</summary>
    public string Output => _process.Diagnostics;

    /// <summary>The requests it forwarded or answered, e.g. <c>POST https://127.0.0.1:5001/v1/operations/a:cancel HTTP/1.1</c>.</summary>
    public IReadOnlyList<string> RequestLines() =>
        Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(": ", 2))
            .Where(parts => parts.Length == 2 && IsRequestLine(parts[1]))
            .Select(parts => parts[1])
            .ToList();

    /// <summary>How many connections it opened to <paramref name="target"/>'s host and port for its clients' tunnels.</summary>
    public int ServerConnects(Uri target)
    {
        string connect = $"server connect {target.Host}:{target.Port}";
        return Output.Split('\n').Count(line => line.TrimEnd().EndsWith(connect, StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Authority?.Dispose();
        _directory.Dispose();
    }

    private static bool IsRequestLine(string text) =>
        text.Split(' ') is [var method, var target, ..] && method.All(char.IsAsciiLetterUpper) && (target.Contains("://", StringComparison.Ordinal) || method == "CONNECT");
}
