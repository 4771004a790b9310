using VaultGrpc.Testing.Internal;

namespace VaultGrpc.Testing;

internal sealed class HangFault() : Fault(FaultKind.Hang)
{
    internal override async Task<bool> ApplyAsync(FakeCall call)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, call.Aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client gave up or the fake is stopping: nothing is sent.
        }

        call.Entry.Complete(0, null);
        call.Http.Abort();
        return true;
    }
}
