using Grpc.Core;

namespace VaultGrpc;

/// <summary>
/// The retry policy applied to every call over whichever transport serves it. The defaults are
/// those of Google.LongRunning's generated client.
/// </summary>
public sealed class VaultRetrySettings
{
    /// <summary>Most attempts per call, the first included. Default 5; 1 disables retries.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the second attempt. Default 500 ms.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Factor applied to the delay after each attempt. Default 2.</summary>
    public double BackoffMultiplier { get; set; } = 2.0;

    /// <summary>Ceiling of one delay. Default 10 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether each delay is drawn at random from [delay/2, delay], so many clients do not retry in step. Default true.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>Status codes that are retried. Default: <see cref="StatusCode.Unavailable"/> only.</summary>
    public ISet<StatusCode> RetryableStatusCodes { get; set; } = new HashSet<StatusCode> { StatusCode.Unavailable };

    /// <summary>A copy that later changes to this instance do not reach.</summary>
    internal VaultRetrySettings Clone() => new()
    {
        MaxAttempts = MaxAttempts,
        InitialBackoff = InitialBackoff,
        BackoffMultiplier = BackoffMultiplier,
        MaxBackoff = MaxBackoff,
        UseJitter = UseJitter,
        RetryableStatusCodes = new HashSet<StatusCode>(RetryableStatusCodes ?? new HashSet<StatusCode>()),
    };

    internal void Validate(List<string> errors)
    {
        if (MaxAttempts < 1)
        {
            errors.Add($"Retry.MaxAttempts must be at least 1 (was {MaxAttempts}).");
        }

        if (InitialBackoff <= TimeSpan.Zero)
        {
            errors.Add($"Retry.InitialBackoff must be positive (was {InitialBackoff}).");
        }

        if (MaxBackoff < InitialBackoff)
        {
            errors.Add($"Retry.MaxBackoff ({MaxBackoff}) must not be below Retry.InitialBackoff ({InitialBackoff}).");
        }

        if (!(BackoffMultiplier >= 1.0) || double.IsInfinity(BackoffMultiplier))
        {
            errors.Add($"Retry.BackoffMultiplier must be a finite number of at least 1 (was {BackoffMultiplier}).");
        }

        if (RetryableStatusCodes is null)
        {
            errors.Add("Retry.RetryableStatusCodes must not be null; use an empty set to retry nothing.");
        }
        else if (RetryableStatusCodes.Contains(StatusCode.OK))
        {
            errors.Add("Retry.RetryableStatusCodes must not contain OK.");
        }
    }
}
