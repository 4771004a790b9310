namespace VaultGrpc.Testing;

/// <summary>The broken REST bodies a <see cref="Fault.RestBody"/> can send.</summary>
public enum RestBodyKind
{
    /// <summary>Not JSON at all although labelled <c>application/json</c>.</summary>
    Malformed,

    /// <summary>No bytes, labelled <c>application/json</c>.</summary>
    Empty,

    /// <summary>The real answer cut in the middle (the response itself ends cleanly).</summary>
    Truncated,

    /// <summary>An HTML page (<c>text/html</c>), as a proxy or load balancer sends.</summary>
    Html,
}
