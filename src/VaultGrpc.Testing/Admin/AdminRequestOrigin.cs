using Microsoft.AspNetCore.Http;

namespace VaultGrpc.Testing.Admin;

/// <summary>
/// Keeps web pages away from the admin API. It listens on loopback only, but a browser on the same
/// machine can still reach it: a page may send a cross-site POST without asking first (text/plain,
/// no preflight), and a host name rebound to 127.0.0.1 makes the page's requests look same-origin.
/// Test code in any language sends neither an <c>Origin</c> header nor a foreign <c>Host</c>; a
/// browser always names the page's origin on a POST, so a request from anywhere but a loopback
/// origin, or for a host that is not a loopback name, is refused before it is read.
/// </summary>
internal static class AdminRequestOrigin
{
    /// <summary>Null when <paramref name="request"/> may be served; else the header at fault and why.</summary>
    public static (string Field, string Message)? FindProblem(HttpRequest request)
    {
        if (!IsLoopbackName(request.Host.Host))
        {
            return ("host", "The admin API answers only requests addressed to a loopback host (127.0.0.1, localhost, [::1]).");
        }

        string? origin = request.Headers.Origin;
        if (origin is not null
            && !(Uri.TryCreate(origin, UriKind.Absolute, out Uri? page) && page.Scheme is "http" or "https" && IsLoopbackName(page.Host)))
        {
            return ("origin", "The admin API does not serve web pages from other origins; send requests without an Origin header or from a loopback origin.");
        }

        return null;
    }

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host is "127.0.0.1" or "[::1]" or "::1";
}
