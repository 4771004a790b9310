namespace VaultGrpc.Tests.Proxies;

/// <summary>
/// A fact that needs a proxy program: skipped, with the reason and how to install it, when the
/// program is absent (xunit 2 decides skips at discovery, so the attribute looks for it then).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProxyFactAttribute : FactAttribute
{
    /// <param name="binary">The executable's file name, as in <see cref="ProxyBinaries"/>.</param>
    public ProxyFactAttribute(string binary)
    {
        ProxyBinary needed = binary switch
        {
            "tinyproxy" => ProxyBinaries.Tinyproxy,
            "mitmdump" => ProxyBinaries.Mitmdump,
            _ => throw new ArgumentException($"No proxy program named '{binary}' is known to these tests.", nameof(binary)),
        };
        Skip = needed.MissingReason;
    }
}
