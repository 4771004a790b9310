using VaultGrpc.Invokers.Fallback;

namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>
/// Where what one call's <see cref="FallbackCallReport"/> says goes besides the invoker's observer
/// (as arguments: no report object is made for the facade alone). The facade's per-call object
/// is the sink, so a call through the fallback invoker allocates nothing more to learn its transport.
/// </summary>
internal interface ICallReportSink
{
    /// <summary>Records how the call ended (the invoker, once, before the call's response task completes).</summary>
    void Record(Transport? transport, FallbackReason fallback, string? fallbackDetail);
}
