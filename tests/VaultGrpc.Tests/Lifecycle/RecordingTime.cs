using Microsoft.Extensions.Time.Testing;

namespace VaultGrpc.Tests.Lifecycle;

/// <summary>
/// A fake clock that records every timer asked of it (Task.Delay on a TimeProvider makes one), so a
/// test can move time exactly to the next due timer and read back the delays the code chose.
/// </summary>
internal sealed class RecordingTime : TimeProvider
{
    private readonly FakeTimeProvider _fake = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly object _gate = new();
    private readonly List<TimeSpan> _delays = [];
    private TimeSpan? _pending;

    public DateTimeOffset Start { get; } = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_gate)
            {
                return [.. _delays];
            }
        }
    }

    public TimeSpan Elapsed => _fake.GetUtcNow() - Start;

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _delays.Add(dueTime);
            _pending = dueTime;
        }

        return _fake.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Runs <paramref name="task"/> to its end, moving time to each timer as it is asked for.</summary>
    public async Task<T> DriveAsync<T>(Task<T> task)
    {
        using var bound = new CancellationTokenSource(LifecycleBed.Bound);
        while (!task.IsCompleted)
        {
            TimeSpan? due;
            lock (_gate)
            {
                due = _pending;
                _pending = null;
            }

            if (due is { } next)
            {
                _fake.Advance(next);
            }
            else
            {
                await Task.Delay(1, bound.Token);
            }
        }

        return await task;
    }
}
