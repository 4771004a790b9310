using VaultGrpc.LongRunning;
using Xunit.Abstractions;

namespace VaultGrpc.Tests.Listing;

/// <summary>Runs alone: the memory it measures is the whole process's.</summary>
[CollectionDefinition(nameof(MeasuresProcessMemory), DisableParallelization = true)]
public sealed class MeasuresProcessMemory
{
}

/// <summary>
/// A listing that follows 20,000 pages, each with a fresh 4 KB token, holds no more memory at its
/// end than after its first 1,000 pages: tokens are remembered as fixed-size hashes in a bounded window.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(nameof(MeasuresProcessMemory))]
public sealed class ListAsyncMemoryTests(ITestOutputHelper output)
{
    private const int Pages = 20_000;
    private const int WarmPages = 1_000;
    private const int TokenLength = 4 * 1024;

    // Keeping every token, as the listing once did, holds 19,000 x 8 KB (UTF-16) = 150 MB more at the end.
    private const long AllowedGrowthBytes = 16 * 1024 * 1024;

    [Fact]
    public async Task ListAsync_TwentyThousandPagesWithFresh4KTokensOverRest_RetainedMemoryStaysFlat()
    {
        PagingScript script = PagingScript.OneOperationAPageForever(TokenLength);
        await using PagingPeer peer = await PagingPeer.StartAsync(script);
        await using VaultOperationsClient client = VaultOperationsClient.Create(peer.ClientOptions(Transport.Rest));
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        long warm = 0;
        long end = 0;
        int listed = 0;

        await foreach (Operation operation in client.ListAsync().WithCancellation(bound.Token))
        {
            listed++;
            if (listed == WarmPages)
            {
                warm = GC.GetTotalMemory(forceFullCollection: true);
            }
            else if (listed == Pages)
            {
                end = GC.GetTotalMemory(forceFullCollection: true);
                break;
            }
        }

        long growth = end - warm;
        output.WriteLine($"retained after {WarmPages} pages: {warm / 1024} KB; after {Pages}: {end / 1024} KB; growth {growth / 1024} KB");
        Assert.Equal(Pages, listed);
        Assert.Equal(Pages, script.Requests);
        Assert.True(growth < AllowedGrowthBytes, $"the listing held {growth / 1024} KB more after {Pages} pages than after {WarmPages}");
    }
}
