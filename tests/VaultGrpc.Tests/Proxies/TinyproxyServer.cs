using System.Globalization;

namespace VaultGrpc.Tests.Proxies;

/// <summary>
/// Debian's tinyproxy as a corporate HTTPS proxy: it tunnels <c>CONNECT host:port</c> and forwards
/// plain-HTTP requests, on a free loopback port with a config of its own, and logs every request.
/// </summary>
internal sealed class TinyproxyServer : IAsyncDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(20);

    private readonly TemporaryDirectory _directory;
    private readonly ExternalProcess _process;

    private TinyproxyServer(TemporaryDirectory directory, ExternalProcess process, int port)
    {
        _directory = directory;
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>Where clients send their proxy requests, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; }

    private string LogPath => _directory.File("tinyproxy.log");

    /// <summary>Starts tinyproxy; a port taken in between is tried again with another.</summary>
    public static async Task<TinyproxyServer> StartAsync()
    {
        string binary = ProxyBinaries.Tinyproxy.Path ?? throw new InvalidOperationException(ProxyBinaries.Tinyproxy.MissingReason);
        for (int attempt = 1; ; attempt++)
        {
            var directory = new TemporaryDirectory("vaultgrpc-tinyproxy-");
            int port = ExternalProcess.FreeLoopbackPort();
            string config = directory.File("tinyproxy.conf");
            await File.WriteAllLinesAsync(config,
            [
                $"Port {port}",
                "Listen 127.0.0.1",
                "Timeout 120",
                "MaxClients 256",
                "Allow 127.0.0.1",
                "DisableViaHeader Yes",
                // Connect is the level that logs each request line, CONNECT included. No ConnectPort
                // line: tunnels to any port are allowed (the fake's ports are random).
                "LogLevel Connect",
                $"LogFile \"{directory.File("tinyproxy.log")}\"",
            ]);
            ExternalProcess process = ExternalProcess.Start(binary, ["-d", "-c", config], directory.Path);
            var server = new TinyproxyServer(directory, process, port);
            try
            {
                await process.WaitListeningAsync(port, StartBound);
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

    /// <summary>The request lines tinyproxy logged, e.g. <c>CONNECT 127.0.0.1:5001 HTTP/1.1</c>, in order.</summary>
    public IReadOnlyList<string> RequestLines()
    {
        const string Marker = "): ";
        var lines = new List<string>();
        foreach (string line in ReadLog())
        {
            int request = line.IndexOf("Request (file descriptor", StringComparison.Ordinal);
            if (request >= 0)
            {
                int text = line.IndexOf(Marker, request, StringComparison.Ordinal);
                lines.Add(line[(text + Marker.Length)..].Trim());
            }
        }

        return lines;
    }

    /// <summary>How many tunnels were asked for to <paramref name="target"/>'s host and port.</summary>
    public int ConnectCount(Uri target)
    {
        string line = string.Create(CultureInfo.InvariantCulture, $"CONNECT {target.Host}:{target.Port} ");
        return RequestLines().Count(l => l.StartsWith(line, StringComparison.Ordinal));
    }

    /// <summary>The whole log and what the process printed, for an assertion's message.</summary>
    public string Diagnostics() => string.Join('\n', ReadLog()) + "\n" + _process.Diagnostics;

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Dispose();
    }

    private IEnumerable<string> ReadLog()
    {
        if (!File.Exists(LogPath))
        {
            return [];
        }

        // tinyproxy keeps the file open for writing.
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
