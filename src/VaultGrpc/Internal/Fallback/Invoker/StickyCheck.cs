namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>What a <see cref="StickyMemory"/> says about the next call.</summary>
internal enum StickyCheck
{
    /// <summary>Nothing remembered against gRPC: try it.</summary>
    Clear,

    /// <summary>Inside the window, or another call is probing: follow the remembered finding.</summary>
    Sticky,

    /// <summary>The window ran out and this caller won the single probe: try gRPC and report back.</summary>
    Probe,
}
