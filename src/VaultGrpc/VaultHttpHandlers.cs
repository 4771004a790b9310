using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.Internal.RestCalls;

namespace VaultGrpc;

/// <summary>
/// The client's own HTTP handlers, to use as the primary handler under your own
/// <see cref="DelegatingHandler"/>s — for example with IHttpClientFactory's
/// <c>ConfigurePrimaryHttpMessageHandler</c> — and hand to <see cref="VaultOperationsClientOptions.GrpcHttpHandler"/>
/// and <see cref="VaultOperationsClientOptions.RestHttpHandler"/>, so that the client's safety settings
/// survive your handlers.
/// </summary>
public static class VaultHttpHandlers
{
    /// <summary>
    /// The gRPC handler the client builds for itself: the connection budget
    /// (<see cref="VaultOperationsClientOptions.GrpcConnectBudget"/>), each request's message held
    /// until the server acknowledges HTTP/2 settings while no connection is known to work, keep-alive
    /// pings, no redirects, proxies honoured. A client whose <see cref="VaultOperationsClientOptions.GrpcHttpHandler"/>
    /// chain ends in this handler keeps all of that, whatever delegating handlers sit above it.
    /// </summary>
    /// <param name="options">The settings it reads: <c>GrpcConnectBudget</c>, <c>KeepAlivePingDelay</c>, <c>KeepAlivePingTimeout</c>.</param>
    /// <returns>A new handler; dispose it (or let the factory that owns it do so) when done.</returns>
    public static HttpMessageHandler CreateGrpcHandler(VaultOperationsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GrpcChannelFactory.CreateBudgetedHandler(options, out _);
    }

    /// <summary>
    /// The REST handler the client builds for itself: no redirects (a redirect would carry the
    /// bearer token and a POST somewhere you did not name), no cookies, pooled connections renewed
    /// every 5 minutes so DNS changes are seen. It does not decompress: the REST invoker asks for
    /// gzip, deflate or br and decodes the answer itself (a handler that decompresses works too).
    /// </summary>
    /// <returns>A new handler.</returns>
    public static HttpMessageHandler CreateRestHandler() => RestHttpDefaults.CreateDefaultHandler();
}
