using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VaultGrpc.Tests.Reliability;

/// <summary>
/// An HTTP/1.1 REST server that reads a DELETE, acts, and closes the connection without answering.
/// SocketsHttpHandler re-sends a request without content on its own in that case (measured: four
/// times); the client's Delete carries an empty body so it never does: one DELETE, outcome unknown.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RestDeleteNotResentTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeleteAsync_ServerClosesAfterReadingRequest_ReachesItOnceOutcomeUnknown(bool warm)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int deletes = 0;
        using var stop = new CancellationTokenSource();
        Task serving = ServeAsync(listener, () => Interlocked.Increment(ref deletes), stop.Token);
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using VaultOperationsClient client = VaultOperationsClient.Create(new VaultOperationsClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}"),
            TransportMode = TransportMode.RestOnly,
            Credentials = VaultCredentials.None,
        });
        if (warm)
        {
            // A GET first, answered, so the DELETE goes out on a pooled connection.
            await client.GetAsync("operations/warm").WaitAsync(TimeSpan.FromSeconds(20));
        }

        var error = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => client.DeleteAsync("operations/once").WaitAsync(TimeSpan.FromSeconds(20)));

        await stop.CancelAsync();
        listener.Stop();
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("DeleteOperation", error.Method);
        Assert.Equal(1, Volatile.Read(ref deletes));
    }

    private static async Task ServeAsync(TcpListener listener, Action deleteSeen, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using TcpClient connection = await listener.AcceptTcpClientAsync(cancellationToken);
                NetworkStream stream = connection.GetStream();
                while (await ReadHeadAsync(stream, cancellationToken) is { } head)
                {
                    if (head.StartsWith("DELETE ", StringComparison.Ordinal))
                    {
                        // Acted on it; the connection then dies before any answer.
                        deleteSeen();
                        break;
                    }

                    const string body = "{\"name\":\"operations/warm\",\"done\":true}";
                    byte[] answer = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}");
                    await stream.WriteAsync(answer, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // The request line and headers (requests here carry at most an empty body); null at end of stream.
    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return null;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
