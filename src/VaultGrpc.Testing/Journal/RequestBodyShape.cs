namespace VaultGrpc.Testing;

/// <summary>What a REST request's body held, as the fake's journal records it (REST Cancel accepts only the first two).</summary>
public enum RequestBodyShape
{
    /// <summary>No bytes.</summary>
    None,

    /// <summary>A JSON object without fields, <c>{}</c> (what clients generated with <c>body: "*"</c> send).</summary>
    EmptyObject,

    /// <summary>A JSON object with at least one field.</summary>
    Fields,

    /// <summary>Anything else: not JSON, or JSON that is not an object.</summary>
    Other,
}
