using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using VaultGrpc.LongRunning;
using VaultGrpc.Vault.Count.V1;

namespace VaultGrpc.Tests.Lifecycle;

/// <summary>Vault's count types: their JSON names, their default registration, and count operations progressing on the fake's clock.</summary>
[Trait("Category", "Reliability")]
public sealed class CountOperationTests
{
    private const string Name = "operations/count-7";
    private const long BeyondDouble = 9_007_199_254_740_993; // 2^53 + 1: not a double

    public static TheoryData<LifecycleRoute> Routes => new() { LifecycleRoute.Grpc, LifecycleRoute.RestFallback };

    [Fact]
    public void CountResponse_Json_UsesTheReferencesNamesAndInt64AsStrings()
    {
        CountArtifactsResponse response = Response();

        string json = JsonFormatter.Default.Format(response);

        Assert.Equal(
            """{ "totalCount": "9007199254740993", "mailCountResult": { "queriedAccountsCount": "3", "matchingAccountsCount": "2", "nonQueryableAccounts": [ "off-hold@example.com" ], "accountCountErrors": [ { "account": { "email": "b@example.com", "displayName": "B" }, "errorType": "LOCATION_UNAVAILABLE" } ], "accountCounts": [ { "account": { "email": "a@example.com" }, "count": "9007199254740993" } ] } }""",
            json);
        Assert.Equal(response, JsonParser.Default.Parse<CountArtifactsResponse>(json));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CountOperation_ResumedAndPolled_TypedMetadataThenResponseOnEitherTransport(LifecycleRoute route)
    {
        await using LifecycleBed bed = await LifecycleBed.StartAsync(route);
        DateTimeOffset started = bed.Time.GetUtcNow();
        bed.Fake.Store.AddCountOperation(Name, "matter-1", TimeSpan.FromSeconds(12), Response(), new Query { Corpus = CorpusType.Mail, DataScope = DataScope.AllData, Terms = "from:a" });
        var operation = VaultOperation<CountArtifactsResponse, CountArtifactsMetadata>.FromName(bed.Client, Name);
        var seen = new List<CountArtifactsMetadata>();

        VaultOperation<CountArtifactsResponse, CountArtifactsMetadata> done = await bed.DriveAsync(operation.PollUntilCompletedAsync(metadataCallback: seen.Add));

        // No AnyTypes given: the count types are known by default, so REST gives the same binary Any as gRPC.
        Assert.Equal("type.googleapis.com/vaultgrpc.vault.count.v1.CountArtifactsResponse", done.Latest.Response.TypeUrl);
        Assert.Equal(BeyondDouble, done.Result.TotalCount);
        Assert.Equal(BeyondDouble, done.Result.MailCountResult.AccountCounts.Single().Count);
        Assert.Equal("matter-1", done.Metadata!.MatterId);
        Assert.Equal(started + TimeSpan.FromSeconds(12), done.Metadata.EndTime.ToDateTimeOffset());
        Assert.Equal("from:a", seen[0].Query.Terms);
        Assert.Null(seen[0].EndTime);
        Assert.NotNull(seen[^1].EndTime);
        Assert.True(seen.Count >= 2);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task CountOperation_CancelledWhileCounting_ConfirmedCancelledAndNeverCompletes(LifecycleRoute route)
    {
        await using LifecycleBed bed = await LifecycleBed.StartAsync(route);
        bed.Fake.Store.AddCountOperation(Name, "matter-1", TimeSpan.FromMinutes(5), Response());
        var operation = new VaultOperation<CountArtifactsResponse, CountArtifactsMetadata>(bed.Client, bed.Fake.Store.Find(Name)!);

        VaultCancelResult result = await bed.DriveAsync(operation.CancelAndConfirmAsync(TimeSpan.FromSeconds(10)));
        bed.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(VaultCancelOutcome.Cancelled, result.Outcome);
        Operation stored = bed.Fake.Store.Find(Name)!;
        Assert.Equal(1, stored.Error.Code);
        Assert.Null(stored.Response);
    }

    private static CountArtifactsResponse Response() => new()
    {
        TotalCount = BeyondDouble,
        MailCountResult = new MailCountResult
        {
            QueriedAccountsCount = 3,
            MatchingAccountsCount = 2,
            NonQueryableAccounts = { "off-hold@example.com" },
            AccountCountErrors = { new AccountCountError { Account = new UserInfo { Email = "b@example.com", DisplayName = "B" }, ErrorType = ErrorType.LocationUnavailable } },
            AccountCounts = { new AccountCount { Account = new UserInfo { Email = "a@example.com" }, Count = BeyondDouble } },
        },
    };
}
