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
            await Task.Delay(2);
            if (!task.IsCompleted)
            {
                time.Advance(step);
                advanced += step;
            }
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
