using System.Globalization;

namespace VaultGrpc.Tests.Soak;

/// <summary>How big the soak is: 5,000 calls by default (what CI runs), or the count in <see cref="CallsVariable"/>.</summary>
/// <param name="Calls">Facade calls in all, one per operation name.</param>
/// <param name="Concurrency">Most calls in flight.</param>
/// <param name="RoundSize">Calls per round; the journal is audited and cleared after each, so the fake's memory stays bounded.</param>
internal sealed record SoakSettings(int Calls, int Concurrency, int RoundSize)
{
    /// <summary>The environment variable that sets the number of calls, e.g. <c>VAULTGRPC_SOAK_CALLS=100000</c>.</summary>
    public const string CallsVariable = "VAULTGRPC_SOAK_CALLS";

    public const int DefaultCalls = 5_000;

    public int Rounds => (Calls + RoundSize - 1) / RoundSize;

    public static SoakSettings FromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(CallsVariable);
        int calls = DefaultCalls;
        if (!string.IsNullOrWhiteSpace(text)
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out calls) || calls < 2_000))
        {
            throw new InvalidOperationException($"{CallsVariable} must be a whole number of calls, at least 2000 (was '{text}').");
        }

        return new SoakSettings(calls, Concurrency: 32, RoundSize: 1_000);
    }
}
