using System.Net;
using System.Net.Security;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Proxies;

/// <summary>
/// Handlers that reach the fake through a proxy given in code (what <c>HTTPS_PROXY</c> gives the
/// library's default handlers), trusting the certificate check a test chooses.
/// </summary>
internal static class ProxiedHandlers
{
    /// <summary>
    /// The switch Grpc.Net.Client reads on a SocketsHttpHandler before taking over its
    /// ConnectCallback for load balancing; the library sets it on its own handler when a proxy applies.
    /// </summary>
    public const string GrpcLoadBalancingDisabled = "__GrpcLoadBalancingDisabled";

    /// <summary>A SocketsHttpHandler through <paramref name="proxy"/>, as a caller would write it.</summary>
    public static SocketsHttpHandler Sockets(Uri proxy, RemoteCertificateValidationCallback trust) => new()
    {
        // WebProxy bypasses loopback only when BypassProxyOnLocal is set (it is not): the fake on
        // 127.0.0.1 is reached through the proxy like any remote host.
        Proxy = new WebProxy(proxy),
        UseProxy = true,
        AllowAutoRedirect = false,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = trust },
    };

    /// <summary>An HttpClientHandler through <paramref name="proxy"/>: what Grpc.Net.Client advises for proxies, since it leaves its connections alone.</summary>
    public static HttpClientHandler ClientHandler(Uri proxy, RemoteCertificateValidationCallback trust) => new()
    {
        Proxy = new WebProxy(proxy),
        UseProxy = true,
        AllowAutoRedirect = false,
        ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) => trust(request, certificate, chain, errors),
    };

    /// <summary>The fake's client options (Auto mode) over the given handlers, which the caller disposes.</summary>
    public static VaultOperationsClientOptions Options(FakeOperationsServer fake, HttpMessageHandler grpc, HttpMessageHandler rest)
    {
        VaultOperationsClientOptions options = fake.CreateClientOptions();
        options.GrpcHttpHandler = grpc;
        options.RestHttpHandler = rest;
        return options;
    }
}
