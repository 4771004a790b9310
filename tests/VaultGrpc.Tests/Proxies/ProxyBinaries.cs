namespace VaultGrpc.Tests.Proxies;

/// <summary>The proxy programs these tests drive, found on PATH (and the sbin directories, where squid-like daemons live).</summary>
internal static class ProxyBinaries
{
    /// <summary>A CONNECT proxy: Debian's package tinyproxy-bin (just the binary).</summary>
    public static readonly ProxyBinary Tinyproxy = new("tinyproxy", "tinyproxy-bin");

    /// <summary>A TLS-intercepting proxy: Debian's package mitmproxy.</summary>
    public static readonly ProxyBinary Mitmdump = new("mitmdump", "mitmproxy");
}
