using System.Net;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>The REST side's default handler and HTTP version.</summary>
internal static class RestHttpDefaults
{
    /// <summary>How long a pooled connection lives, so that DNS changes are picked up.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A redirect would send the bearer token (and a POST) somewhere the caller did not name, so
    /// none is followed; cookies are not an API's business. No automatic decompression: the invoker
    /// asks for compressed answers and decodes them itself, for less per call (<see cref="ContentDecoding"/>).
    /// </summary>
    public static SocketsHttpHandler CreateDefaultHandler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        PooledConnectionLifetime = PooledConnectionLifetime,
    };

    /// <summary>HTTP/2 when TLS can negotiate it (ALPN), else HTTP/1.1; plaintext is HTTP/1.1.</summary>
    public static (Version Version, HttpVersionPolicy Policy) DefaultVersionFor(Uri endpoint) =>
        endpoint.Scheme == Uri.UriSchemeHttps
            ? (HttpVersion.Version20, HttpVersionPolicy.RequestVersionOrLower)
            : (HttpVersion.Version11, HttpVersionPolicy.RequestVersionOrLower);
}
