namespace VaultGrpc;

/// <summary>
/// How <see cref="VaultOperation{TResponse, TMetadata}.PollUntilCompletedAsync"/> polls: a first
/// delay, growing by a multiplier up to a cap, until the operation is done or the expiration passes.
/// </summary>
/// <remarks>
/// The defaults — 1 s, ×1.5, at most 10 s apart, for up to 15 minutes — are those of the client's
/// own <see cref="VaultOperationsClient.WaitAsync"/> polling, with Python's expiration. For
/// comparison: gax-dotnet's <c>Operation&lt;T,M&gt;</c> polls every 10 s, fixed; Go's
/// <c>longrunning</c> backs off from 1 s to 60 s; python-api-core from 1 s to 20 s ×1.5 for at most
/// 900 s. A Vault count usually ends within seconds to a few minutes, so a first look after 1 s and
/// no more than 10 s between looks answer promptly without a tight loop (at most 96 polls in 15 minutes).
/// </remarks>
public sealed record VaultPollSettings
{
    /// <summary>The settings described above.</summary>
    public static VaultPollSettings Default { get; } = new();

    /// <summary>The delay before the first poll of an operation whose state is known. Default 1 s.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Each delay is the previous one times this, at least 1. Default 1.5.</summary>
    public double Multiplier { get; init; } = 1.5;

    /// <summary>The longest delay between polls. Default 10 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long to poll before giving up and returning the operation as last seen (not done);
    /// <see cref="Timeout.InfiniteTimeSpan"/> for no limit. Default 15 minutes.
    /// </summary>
    public TimeSpan Expiration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Throws when a setting is out of range, naming every problem.</summary>
    /// <exception cref="ArgumentException">The first delay is not positive (a zero one would poll in a tight loop), the cap is below it, the multiplier is below 1, or the expiration is not positive.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (InitialDelay <= TimeSpan.Zero)
        {
            // Every later delay grows from this one: zero would poll back to back until expiration.
            problems.Add($"InitialDelay must be positive (was {InitialDelay}).");
        }

        if (MaxDelay < InitialDelay)
        {
            problems.Add($"MaxDelay ({MaxDelay}) must not be below InitialDelay ({InitialDelay}).");
        }

        if (!double.IsFinite(Multiplier) || Multiplier < 1)
        {
            problems.Add($"Multiplier must be a finite number of at least 1 (was {Multiplier}).");
        }

        if (Expiration <= TimeSpan.Zero && Expiration != Timeout.InfiniteTimeSpan)
        {
            problems.Add($"Expiration must be positive or Timeout.InfiniteTimeSpan (was {Expiration}).");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid VaultPollSettings: " + string.Join(" ", problems), "settings");
        }
    }

    /// <summary>The delay after <paramref name="delay"/>.</summary>
    internal TimeSpan Next(TimeSpan delay)
    {
        double next = delay.Ticks * Multiplier;
        return next >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)next);
    }
}
