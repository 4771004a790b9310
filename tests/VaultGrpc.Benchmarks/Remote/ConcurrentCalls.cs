namespace VaultGrpc.Benchmarks.Remote;

/// <summary>
/// One benchmark invocation: <see cref="PerInvoke"/> calls spread over a number of callers, each
/// making its share one after another (64 callers keep 64 calls in flight). Every case of a class
/// runs the same shape, so the runner's own small cost (a task per caller) is the same on both sides
/// of a ratio.
/// </summary>
internal static class ConcurrentCalls
{
    /// <summary>Calls per invocation; a multiple of every caller count used.</summary>
    public const int PerInvoke = 256;

    public static Task RunAsync(int callers, Func<Task> call)
    {
        if (callers == 1)
        {
            return CallInTurnAsync(PerInvoke, call);
        }

        var workers = new Task[callers];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = CallInTurnAsync(PerInvoke / callers, call);
        }

        return Task.WhenAll(workers);
    }

    private static async Task CallInTurnAsync(int calls, Func<Task> call)
    {
        for (int i = 0; i < calls; i++)
        {
            await call().ConfigureAwait(false);
        }
    }
}
