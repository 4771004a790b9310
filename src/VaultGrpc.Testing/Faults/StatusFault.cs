using VaultGrpc.Testing.Internal;

namespace VaultGrpc.Testing;

internal sealed class StatusFault(Google.Rpc.Status status) : Fault(FaultKind.Status)
{
    internal override async Task<bool> ApplyAsync(FakeCall call)
    {
        await call.AnswerStatusAsync(status).ConfigureAwait(false);
        return true;
    }
}
