// README:lifecycle usings begin
using VaultGrpc;
using VaultGrpc.Vault.Count.V1;
// README:lifecycle usings end
using VaultGrpc.Testing;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

// Outside the VaultGrpc namespaces, as a user's code is, so the usings above (and the test's own
// below them) are all the sample has.
namespace ReadmeSamples;

/// <summary>
/// The README's lifecycle sample, compiled and run against the fake: a count operation watched to
/// its end, and one cancelled and confirmed. ReadmeSyncTests compares the region with README.md.
/// </summary>
public sealed class LifecycleReadmeTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(600, false)]
    public async Task ReadmeSample_CountOperation_TotalWhenDoneOrCancelledWhenNot(int countSeconds, bool finishes)
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.InMemory);
        fake.Store.AddCountOperation("operations/count-1", "matter-1", TimeSpan.FromSeconds(countSeconds), new CountArtifactsResponse { TotalCount = 42 });
        await using VaultOperationsClient client = VaultOperationsClient.Create(fake.CreateClientOptions());
        var progress = new List<string>();
        var printed = new List<string>();

        // README:lifecycle begin
        var count = VaultOperation<CountArtifactsResponse, CountArtifactsMetadata>.FromName(client, "operations/count-1");
        count = await count.PollUntilCompletedAsync(
            new VaultPollSettings { Expiration = TimeSpan.FromSeconds(3) },
            metadata => progress.Add($"counting since {metadata.StartTime}"));
        if (count.IsDone)
        {
            printed.Add($"total: {count.Result.TotalCount}"); // a failed count throws VaultOperationFailedException
        }
        else
        {
            // Cancel is best effort: this sends it, then watches until the operation says how it ended.
            VaultCancelResult cancel = await count.CancelAndConfirmAsync();
            printed.Add($"{cancel.Name}: {cancel.Outcome}");
        }
        // README:lifecycle end

        Assert.NotEmpty(progress);
        Assert.Equal(finishes ? "total: 42" : "operations/count-1: Cancelled", Assert.Single(printed));
    }
}
