using VaultGrpc.Testing.Internal;

namespace VaultGrpc.Testing;

internal sealed class LatencyFault(TimeSpan delay) : Fault(FaultKind.Latency)
{
    internal override async Task<bool> ApplyAsync(FakeCall call)
    {
        await Task.Delay(delay, call.Aborted).ConfigureAwait(false);
        return false;
    }
}
