using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using VaultGrpc.Internal.Telemetry;

namespace VaultGrpc.Internal.Retry;

/// <summary>
/// One retry policy over both transports, on Polly.Core: retries the configured status codes with
/// jittered exponential backoff, and never starts a delay that would end past the call's deadline
/// (the last error is then what the caller sees, as in gax).
/// </summary>
internal sealed class RetryPolicy
{
    private static readonly ResiliencePropertyKey<CallProgress> ProgressKey = new("VaultGrpc.CallProgress");

    private readonly VaultRetrySettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    public RetryPolicy(VaultRetrySettings settings, TimeProvider timeProvider, ILogger logger)
    {
        _settings = settings;
        _timeProvider = timeProvider;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (settings.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.AttemptNumber, args.Context)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(ProgressKey, null!).NextDelay),
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the deadline forbids another try.</summary>
    public async Task<T> ExecuteAsync<T, TState>(
        Func<CallProgress, TState, CancellationToken, Task<T>> attempt, TState state, CallProgress progress, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(ProgressKey, progress);
            return await _pipeline.ExecuteAsync(
                static async (ctx, s) =>
                {
                    CallProgress p = ctx.Properties.GetValue(ProgressKey, null!);
                    p.Attempts++;
                    return await s.attempt(p, s.state, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                (attempt, state)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The delay before attempt <paramref name="retryNumber"/> + 2, before jitter.</summary>
    internal TimeSpan BackoffBeforeJitter(int retryNumber)
    {
        double millis = _settings.InitialBackoff.TotalMilliseconds * Math.Pow(_settings.BackoffMultiplier, retryNumber);
        return TimeSpan.FromMilliseconds(Math.Min(millis, _settings.MaxBackoff.TotalMilliseconds));
    }

    private bool ShouldRetry(Exception? error, int retryNumber, ResilienceContext context)
    {
        // An outcome-unknown failure must not be sent again: that is the point of it.
        if (error is not RpcException rpc || error is VaultOutcomeUnknownException || !_settings.RetryableStatusCodes.Contains(rpc.StatusCode) || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        CallProgress progress = context.Properties.GetValue(ProgressKey, null!);
        TimeSpan delay = BackoffBeforeJitter(retryNumber);
        if (_settings.UseJitter)
        {
            // Equal jitter: somewhere in [delay/2, delay], so clients spread out but never hammer.
            delay = TimeSpan.FromTicks(delay.Ticks / 2 + (long)(Random.Shared.NextDouble() * (delay.Ticks / 2)));
        }

        if (progress.Deadline is { } deadline && _timeProvider.GetUtcNow().UtcDateTime + delay >= deadline)
        {
            Log.RetryAbandonedAtDeadline(_logger, progress.Method, rpc.StatusCode, progress.Attempts);
            return false;
        }

        progress.NextDelay = delay;
        Log.Retrying(_logger, progress.Method, rpc.StatusCode, progress.Attempts, delay.TotalMilliseconds);
        return true;
    }
}
