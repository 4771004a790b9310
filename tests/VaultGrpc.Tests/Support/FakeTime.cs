using Microsoft.Extensions.Time.Testing;

namespace VaultGrpc.Tests.Support;

internal static class FakeTime
{
    /// <summary>A fake clock at a fixed, realistic instant.</summary>
    public static FakeTimeProvider Create() => new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// Moves fake time forward in steps until <paramref name="task"/> completes, so that backoff
    /// delays elapse; gives up after <paramref name="maxAdvance"/> of fake time.
    /// </summary>
    public static async Task<T> DriveAsync<T>(this FakeTimeProvider time, Task<T> task, TimeSpan step, TimeSpan maxAdvance)
    {
        TimeSpan advanced = TimeSpan.Zero;
        while (!task.IsCompleted && advanced < maxAdvance)
        {
            await SettleAsync();
            if (!task.IsCompleted)
            {
                time.Advance(step);
                advanced += step;
            }
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    // Lets the work the last step released run before the clock moves again: on a loaded machine
    // (the whole suite in parallel) 2 ms was sometimes too short, and the clock ran seconds ahead
    // of a call that had already been answered. Waits while the thread pool has queued work, up to 50 ms.
    private static async Task SettleAsync()
    {
        await Task.Delay(2);
        for (int waited = 0; ThreadPool.PendingWorkItemCount > 0 && waited < 50; waited++)
        {
            await Task.Delay(1);
        }
    }
}
