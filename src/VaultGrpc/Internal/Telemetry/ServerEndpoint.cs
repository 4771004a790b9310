namespace VaultGrpc.Internal.Telemetry;

/// <summary>
/// An endpoint as <c>server.address</c> and <c>server.port</c> give it, built once per client: the
/// port is boxed here so that tagging a call allocates nothing for it.
/// </summary>
internal sealed class ServerEndpoint
{
    private ServerEndpoint(string address, int port)
    {
        Address = address;
        Port = port;
    }

    /// <summary>The host as the endpoint names it (a DNS name or an IP address, never resolved).</summary>
    public string Address { get; }

    /// <summary>The port, explicit or the scheme's default, boxed once.</summary>
    public object Port { get; }

    /// <summary>The endpoint of <paramref name="uri"/> (scheme, host and port only, as the options validate).</summary>
    public static ServerEndpoint Of(Uri uri) =>
        // An IPv6 address without its URI brackets, as the conventions write addresses.
        new(uri.HostNameType == UriHostNameType.IPv6 ? uri.DnsSafeHost : uri.IdnHost, uri.Port);
}
