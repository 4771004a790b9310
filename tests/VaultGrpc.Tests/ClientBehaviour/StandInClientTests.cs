using Grpc.Core;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.ClientBehaviour;

/// <summary>
/// What users' own unit tests get from the abstract client: override what the code under test
/// calls; ListAsync follows pages through ListPageAsync with the client's own page-token guard.
/// </summary>
public sealed class StandInClientTests
{
    [Fact]
    public async Task ListAsync_StandInOverridesListPageOnly_FollowsEveryPage()
    {
        var client = new PagedStandIn(pages: 3);

        List<string> names = [];
        await foreach (Operation operation in client.ListAsync(filter: "done=true", pageSize: 2))
        {
            names.Add(operation.Name);
        }

        Assert.Equal(["operations/p0", "operations/p1", "operations/p2"], names);
        Assert.Equal(["", "t1", "t2"], client.TokensAsked);
        Assert.All(client.FiltersAsked, filter => Assert.Equal("done=true", filter));
    }

    [Fact]
    public async Task ListAsync_StandInRepeatsAToken_StopsWithInternal()
    {
        var client = new PagedStandIn(pages: int.MaxValue, repeatToken: true);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (Operation _ in client.ListAsync())
            {
            }
        });

        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public async Task CancelAsync_NotOverridden_ThrowsNotImplementedNamingTheMember()
    {
        using var client = new PagedStandIn(pages: 1);

        var error = await Assert.ThrowsAsync<NotImplementedException>(() => client.CancelAsync("operations/a"));

        Assert.Contains("CancelAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(PagedStandIn), error.Message, StringComparison.Ordinal);
        Assert.Equal(FallbackReason.None, client.TransportStatus.LastFallback);
    }

    [Fact]
    public void ListAsync_NegativePageSize_ThrowsAtTheCall()
    {
        var client = new PagedStandIn(pages: 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => client.ListAsync(pageSize: -1));
        Assert.Empty(client.TokensAsked);
    }

    private sealed class PagedStandIn(int pages, bool repeatToken = false) : VaultOperationsClient
    {
        public List<string> TokensAsked { get; } = [];

        public List<string?> FiltersAsked { get; } = [];

        public override Task<VaultResponse<ListOperationsResponse>> ListPageAsync(
            string? filter = null, int pageSize = 0, string? pageToken = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        {
            TokensAsked.Add(pageToken ?? string.Empty);
            FiltersAsked.Add(filter);
            int page = TokensAsked.Count - 1;
            var response = new ListOperationsResponse
            {
                Operations = { new Operation { Name = $"operations/p{page}" } },
                NextPageToken = repeatToken ? "same" : page + 1 < pages ? $"t{page + 1}" : string.Empty,
            };
            return Task.FromResult(new VaultResponse<ListOperationsResponse>(response, new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 1)));
        }
    }
}
