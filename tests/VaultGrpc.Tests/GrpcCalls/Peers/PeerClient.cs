using System.Net;
using System.Net.Security;
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>
/// Plain clients for the hostile peers, without any of the library's policy: a SocketsHttpHandler
/// (trusting the loopback test certificate), a raw Grpc.Net.Client channel over it, an HttpClient
/// that speaks HTTP/2 by prior knowledge, and the paths the peers log.
/// </summary>
internal static class PeerClient
{
    public const string GetPath = "/google.longrunning.Operations/GetOperation";

    public const string DeletePath = "/google.longrunning.Operations/DeleteOperation";

    public static SocketsHttpHandler Handler(TimeSpan? connectTimeout = null) => new()
    {
        ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(2),
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    };

    /// <summary>A channel that reports a deadline as DeadlineExceeded (as the library configures it). The handler stays the caller's.</summary>
    public static GrpcChannel Channel(Uri address, SocketsHttpHandler handler) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false, ThrowOperationCanceledOnCancellation = false });

    public static Task DeleteAsync(GrpcChannel channel, TimeSpan deadline) =>
        new Operations.OperationsClient(channel).DeleteOperationAsync(new DeleteOperationRequest { Name = "operations/peer-test" }, deadline: DateTime.UtcNow + deadline).ResponseAsync;

    public static Task<Operation> GetAsync(GrpcChannel channel, TimeSpan deadline) =>
        new Operations.OperationsClient(channel).GetOperationAsync(new GetOperationRequest { Name = "operations/peer-test" }, deadline: DateTime.UtcNow + deadline).ResponseAsync;

    /// <summary>An HttpClient that sends HTTP/2 without negotiating it (h2c prior knowledge, or ALPN h2 over TLS).</summary>
    public static HttpClient Http2Client(SocketsHttpHandler handler) => new(handler, disposeHandler: false)
    {
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    /// <summary>The first exception of type <typeparamref name="T"/> in the DebugException's InnerException chain.</summary>
    public static T? FindInChain<T>(RpcException error)
        where T : Exception
    {
        for (Exception? current = error.Status.DebugException; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
