using Grpc.Core;
using Microsoft.Extensions.Logging;
using VaultGrpc.Internal.Telemetry;

namespace VaultGrpc.Internal.Retry;

/// <summary>
/// One retry policy over both transports: retries the configured status codes with jittered
/// exponential backoff, and never starts a delay that would end past the call's deadline (the last
/// error is then what the caller sees, as in gax). A plain loop: a call that succeeds first time
/// costs one state machine besides the attempt's and no exception (a resilience pipeline cost about 2.3 KB per call).
/// </summary>
internal sealed class RetryPolicy
{
    private readonly VaultRetrySettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public RetryPolicy(VaultRetrySettings settings, TimeProvider timeProvider, ILogger logger)
    {
        _settings = settings;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the deadline forbids another try.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before an attempt or during a delay.</exception>
    public async Task<T> ExecuteAsync<T, TState>(
        Func<CallProgress, TState, CancellationToken, ValueTask<T>> attempt, TState state, CallProgress progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress.Attempts++;
            try
            {
                return await attempt(progress, state, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException error) when (cancellationToken.IsCancellationRequested && error is not VaultOutcomeUnknownException)
            {
                // The caller's token fired while the attempt was failing: the caller sees its own
                // cancellation (as grpc-dotnet reports it), not a status it may take for the server's.
                throw new OperationCanceledException("The call was cancelled by the caller.", error, cancellationToken);
            }
            catch (RpcException error) when (ShouldRetry(error, progress, cancellationToken))
            {
                // ShouldRetry chose the delay (progress.NextDelay) and logged it.
            }

            if (progress.NextDelay > TimeSpan.Zero)
            {
                await Task.Delay(progress.NextDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The delay before attempt <paramref name="retryNumber"/> + 2, before jitter.</summary>
    internal TimeSpan BackoffBeforeJitter(int retryNumber)
    {
        double millis = _settings.InitialBackoff.TotalMilliseconds * Math.Pow(_settings.BackoffMultiplier, retryNumber);
        return TimeSpan.FromMilliseconds(Math.Min(millis, _settings.MaxBackoff.TotalMilliseconds));
    }

    // Decides on the failure of attempt progress.Attempts; when it says yes, progress.NextDelay is the delay to wait.
    private bool ShouldRetry(RpcException error, CallProgress progress, CancellationToken cancellationToken)
    {
        // An outcome-unknown failure must not be sent again: that is the point of it.
        if (progress.Attempts >= _settings.MaxAttempts
            || error is VaultOutcomeUnknownException
            || !_settings.RetryableStatusCodes.Contains(error.StatusCode)
            || cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        TimeSpan delay = BackoffBeforeJitter(progress.Attempts - 1);
        if (_settings.UseJitter)
        {
            // Equal jitter: somewhere in [delay/2, delay], so clients spread out but never hammer.
            delay = TimeSpan.FromTicks(delay.Ticks / 2 + (long)(Random.Shared.NextDouble() * (delay.Ticks / 2)));
        }

        if (progress.Deadline is { } deadline && _timeProvider.GetUtcNow().UtcDateTime + delay >= deadline)
        {
            Log.RetryAbandonedAtDeadline(_logger, progress.Method, error.StatusCode, progress.Attempts);
            return false;
        }

        progress.NextDelay = delay;
        Log.Retrying(_logger, progress.Method, error.StatusCode, progress.Attempts, delay.TotalMilliseconds);
        return true;
    }
}
