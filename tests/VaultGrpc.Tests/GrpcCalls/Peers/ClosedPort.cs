using System.Net;
using System.Net.Sockets;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>A loopback port that was just bound and released, so nothing listens on it.</summary>
internal static class ClosedPort
{
    public static Uri Reserve()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }
}
