using System.Globalization;

namespace VaultGrpc.Cli.Output;

/// <summary>
/// A one-line progress bar on standard error with the rate and the time left, redrawn a few times
/// a second. Only drawn at a terminal; when standard output is the same terminal, result lines
/// clear it first so the two do not mix. Drawn and erased with carriage returns and spaces alone:
/// no escape sequence, so no color (NO_COLOR holds) and nothing a dumb terminal would print raw.
/// </summary>
internal sealed class ProgressBar : IAsyncDisposable
{
    /// <summary>Fewer names than this finish too fast for a bar to help.</summary>
    public const int MinimumNames = 50;

    private const int Width = 30;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _error;
    private readonly int _total;
    private readonly object _drawLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _redrawLoop;
    private int _done;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private bool _drawn;
    private int _drawnLength;

    private ProgressBar(TextWriter error, int total)
    {
        _error = error;
        _total = total;
        _redrawLoop = RedrawLoopAsync();
    }

    /// <summary>A bar when standard error is a terminal and there are enough names; otherwise null.</summary>
    public static ProgressBar? StartIfUseful(CliHost host, int total) =>
        host.ErrorIsTerminal && total >= MinimumNames ? new ProgressBar(host.Error, total) : null;

    /// <summary>Counts one finished name.</summary>
    public void Advance() => Interlocked.Increment(ref _done);

    /// <summary>Erases the bar so that a line can be written; the next redraw brings it back.</summary>
    public void Clear()
    {
        lock (_drawLock)
        {
            if (_drawn)
            {
                _error.Write("\r" + new string(' ', _drawnLength) + "\r");
                _error.Flush();
                _drawn = false;
                _drawnLength = 0;
            }
        }
    }

    /// <summary>Stops redrawing and erases the bar.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _redrawLoop;
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        Clear();
        _stop.Dispose();
    }

    /// <summary>The bar's text for <paramref name="done"/> of <paramref name="total"/>.</summary>
    internal static string Render(int done, int total)
    {
        int filled = total == 0 ? Width : (int)((long)done * Width / total);
        int percent = total == 0 ? 100 : (int)((long)done * 100 / total);
        return $"[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} {percent,3}%";
    }

    /// <summary>The whole line: the bar, the rate so far and the time left at that rate.</summary>
    internal static string Render(int done, int total, TimeSpan elapsed)
    {
        string bar = Render(done, total);
        if (done == 0 || elapsed <= TimeSpan.Zero)
        {
            return $"{bar}  -- calls/s  ETA --:--";
        }

        double rate = done / elapsed.TotalSeconds;
        TimeSpan left = TimeSpan.FromSeconds(Math.Min((total - done) / rate, TimeSpan.FromDays(1).TotalSeconds));
        // TotalHours, not the hours component: a day-long wait must not read as 0:00:00.
        string eta = left.TotalHours >= 1
            ? $"{(int)left.TotalHours}:{left.ToString(@"mm\:ss", CultureInfo.InvariantCulture)}"
            : left.ToString(@"m\:ss", CultureInfo.InvariantCulture);
        return $"{bar}  {rate.ToString("F0", CultureInfo.InvariantCulture)} calls/s  ETA {eta}";
    }

    private async Task RedrawLoopAsync()
    {
        using var timer = new PeriodicTimer(RedrawInterval);
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            lock (_drawLock)
            {
                string line = Render(Volatile.Read(ref _done), _total, _clock.Elapsed);

                // Padded over the last drawing: a shorter line (the ETA shrinks) leaves nothing behind.
                _error.Write("\r" + line.PadRight(_drawnLength));
                _drawnLength = Math.Max(line.Length, _drawnLength);
                _error.Flush();
                _drawn = true;
            }
        }
    }
}
