using VaultGrpc.Testing;
using Xunit.Abstractions;

namespace VaultGrpc.Tests.Soak;

/// <summary>
/// What the soak (<see cref="SoakRun"/>: 5,000 calls by default; VAULTGRPC_SOAK_CALLS=100000 for a
/// long run) must show: every call ends, with one outcome per name; every fault was met; managed
/// memory is flat; and no Delete is acted on twice or sent again after it may have acted.
/// </summary>
[Trait("Category", "Reliability")]
[Trait("Category", "Soak")]
[Collection(SoakCollection.Name)]
public sealed class SoakTests(SoakRun soak, ITestOutputHelper output) : IClassFixture<SoakRun>
{
    // Generous: over 100,000 calls a leak of a few hundred bytes a call shows; GC noise does not.
    private const long FlatMemoryBound = 32 * 1024 * 1024;

    // What a caller may meet here: success, the missing names' NOT_FOUND, UNAVAILABLE when retries
    // run out, INTERNAL for an answer cut mid-call. DEADLINE_EXCEEDED, CANCELLED or UNKNOWN would
    // mean the client waited out its deadline or lost a cause.
    private static readonly string[] ExpectedResults = [SoakOutcome.Ok, "NotFound", "Unavailable", "Internal"];

    [Fact]
    public void Soak_EveryCall_EndsWithOneOutcomePerName()
    {
        Print();

        Assert.Equal(soak.Settings.Calls, soak.Tally.Calls);
        Assert.Empty(soak.MissingOrDuplicated);
        Assert.Equal(0, soak.Tally.Count(SoakOutcome.Hang));
        Assert.All(soak.Tally.Results, result => Assert.Contains(result, ExpectedResults));
    }

    [Fact]
    public void Soak_FaultScript_AppliedEveryFault()
    {
        Assert.Equal(4, soak.FaultRules.Count);
        Assert.All(soak.FaultRules, rule => Assert.True(rule.Hits > 0, $"{rule.Fault} was never applied"));
    }

    [Fact]
    public void Soak_ManagedMemory_StaysFlat()
    {
        long growth = soak.MemoryAtEnd - soak.MemoryAfterFirstRound;

        Assert.True(growth < FlatMemoryBound, $"managed memory grew from {SoakRun.Mb(soak.MemoryAfterFirstRound)} to {SoakRun.Mb(soak.MemoryAtEnd)}");
    }

    [Fact]
    public void Soak_Deletes_NeverActedOnTwiceNorSentAgainAfterTheyMayHaveActed()
    {
        Print();
        int deletes = soak.Tally.Count(SoakOutcome.Ok, OperationsMethod.Delete);
        string causes = string.Join("; ", soak.DeleteBreaches.GroupBy(b => b.Cause).Select(g => $"{g.Key}: {g.Count()}"));

        Assert.True(deletes > 0, "no Delete succeeded");
        Assert.True(soak.DeleteBreaches.Count == 0, $"{soak.DeleteBreaches.Count} of the soak's Deletes broke the promise ({causes}); first: {soak.DeleteBreaches.FirstOrDefault()}");
    }

    private void Print()
    {
        foreach (string line in soak.Report())
        {
            output.WriteLine(line);
        }
    }
}
