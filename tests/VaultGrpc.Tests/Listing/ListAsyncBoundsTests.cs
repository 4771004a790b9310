using Grpc.Core;
using VaultGrpc.Internal.Listing;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Listing;

/// <summary>
/// <see cref="VaultOperationsClient.ListAsync"/> against a real loopback server whose page tokens
/// would make a listing endless: the listing ends with a clear Internal error after a bounded
/// number of pages, on both transports.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ListAsyncBoundsTests
{
    private const int FourKilobytes = 4 * 1024;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static TheoryData<Transport> Transports => new() { Transport.Grpc, Transport.Rest };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ListAsync_EmptyPagesWithFreshTokensForever_StopsAfterTheStreakLimitWithInternal(Transport transport)
    {
        PagingScript script = PagingScript.EmptyPagesForever(FourKilobytes);
        await using PagingPeer peer = await PagingPeer.StartAsync(script);
        await using VaultOperationsClient client = VaultOperationsClient.Create(peer.ClientOptions(transport));

        (int listed, RpcException? error) = await ListAllAsync(client);

        Assert.Equal(0, listed);
        Assert.NotNull(error);
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains($"ListOperations (over {transport}) returned 100 empty pages in a row", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("stopped after 100 pages", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(PageTokenGuard.MaxEmptyPagesInARow, script.Requests);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ListAsync_NinetyNineEmptyPagesThenOperations_ListsEverything(Transport transport)
    {
        // Empty pages below the limit are a server scanning, not a loop; an operation resets the streak.
        var script = new PagingScript(index => index switch
        {
            99 or 199 => new ListOperationsResponse { Operations = { new Operation { Name = $"operations/{index}" } }, NextPageToken = PagingScript.Token(index + 1, 64) },
            200 => new ListOperationsResponse { Operations = { new Operation { Name = "operations/last" } } },
            _ => new ListOperationsResponse { NextPageToken = PagingScript.Token(index + 1, 64) },
        });
        await using PagingPeer peer = await PagingPeer.StartAsync(script);
        await using VaultOperationsClient client = VaultOperationsClient.Create(peer.ClientOptions(transport));

        List<string> names = await ListNamesAsync(client);

        Assert.Equal(["operations/99", "operations/199", "operations/last"], names);
        Assert.Equal(201, script.Requests);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ListAsync_TokenLongerThanTheLimit_StopsBeforeSendingItWithInternal(Transport transport)
    {
        var script = new PagingScript(index => new ListOperationsResponse
        {
            Operations = { new Operation { Name = "operations/first" } },
            NextPageToken = PagingScript.Token(index + 1, PageTokenGuard.MaxTokenLength + 1),
        });
        await using PagingPeer peer = await PagingPeer.StartAsync(script);
        await using VaultOperationsClient client = VaultOperationsClient.Create(peer.ClientOptions(transport));

        (int listed, RpcException? error) = await ListAllAsync(client);

        Assert.Equal(1, listed);
        Assert.NotNull(error);
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("a next page token of 8193 characters; at most 8192 are accepted", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, script.Requests);
    }

    [Fact]
    public async Task ListAsync_TokenOfExactlyTheLimitOverGrpc_Followed()
    {
        var script = new PagingScript(index => index == 0
            ? new ListOperationsResponse { Operations = { new Operation { Name = "operations/a" } }, NextPageToken = PagingScript.Token(1, PageTokenGuard.MaxTokenLength) }
            : new ListOperationsResponse { Operations = { new Operation { Name = "operations/b" } } });
        await using PagingPeer peer = await PagingPeer.StartAsync(script);
        await using VaultOperationsClient client = VaultOperationsClient.Create(peer.ClientOptions(Transport.Grpc));

        List<string> names = await ListNamesAsync(client);

        Assert.Equal(["operations/a", "operations/b"], names);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ListAsync_TwoPagesPointingAtEachOther_StopsAtTheFirstRepeatWithInternal(Transport transport)
    {
        // Page 1 leads to page 2, page 2 back to page 1: the token for page 1 comes a second time.
        var script = new PagingScript(index => new ListOperationsResponse
        {
            Operations = { new Operation { Name = $"operations/{index}" } },
            NextPageToken = PagingScript.Token(index == 2 ? 1 : index + 1, FourKilobytes),
        });
        await using PagingPeer peer = await PagingPeer.StartAsync(script);
        await using VaultOperationsClient client = VaultOperationsClient.Create(peer.ClientOptions(transport));

        (int listed, RpcException? error) = await ListAllAsync(client);

        Assert.NotNull(error);
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("a next page token it had already given", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(3, listed);
        Assert.Equal(3, script.Requests);
    }

    [Fact]
    public async Task ListAsync_CycleLongerThanTheRememberedWindow_StillStopsWithInternal()
    {
        // 1,500 pages with operations, the last leading back to the first: each token is forgotten by
        // the window before it comes back, and the cycle check finds the loop instead.
        const int Cycle = 1500;
        var script = new PagingScript(index => new ListOperationsResponse
        {
            Operations = { new Operation { Name = $"operations/{index}" } },
            NextPageToken = PagingScript.Token((index + 1) % Cycle, 32),
        });
        await using PagingPeer peer = await PagingPeer.StartAsync(script);
        await using VaultOperationsClient client = VaultOperationsClient.Create(peer.ClientOptions(Transport.Grpc));

        (int listed, RpcException? error) = await ListAllAsync(client);

        Assert.True(Cycle > PageTokenGuard.RecentTokenWindow);
        Assert.NotNull(error);
        Assert.Contains("a next page token it had already given", error.Status.Detail, StringComparison.Ordinal);

        // Brent's method: the remembered token moves at pages 1, 3, 7, ..., 2047; page 2047 + 1500 repeats it.
        Assert.Equal(3547, listed);
        Assert.Equal(3547, script.Requests);
    }

    private static async Task<(int Listed, RpcException? Error)> ListAllAsync(VaultOperationsClient client)
    {
        using var bound = new CancellationTokenSource(Bound);
        int listed = 0;
        try
        {
            await foreach (Operation operation in client.ListAsync().WithCancellation(bound.Token))
            {
                listed++;
            }
        }
        catch (RpcException error)
        {
            return (listed, error);
        }

        return (listed, null);
    }

    private static async Task<List<string>> ListNamesAsync(VaultOperationsClient client)
    {
        using var bound = new CancellationTokenSource(Bound);
        var names = new List<string>();
        await foreach (Operation operation in client.ListAsync().WithCancellation(bound.Token))
        {
            names.Add(operation.Name);
        }

        return names;
    }
}
