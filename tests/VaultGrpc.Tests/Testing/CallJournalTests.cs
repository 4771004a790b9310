using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Testing;

/// <summary>The journal's fields, the token check on both transports, and paging under inserts.</summary>
public sealed class CallJournalTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Journal_GrpcCall_RecordsRequestFields()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = FakeHosting.Sockets).WaitAsync(Bound);
        fake.Store.AddRunning("operations/j 1");
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);
        var headers = new Metadata { { "x-goog-request-params", "name=operations%2Fj%201" }, { "authorization", "Bearer t" } };

        await stub.CancelOperationAsync(new CancelOperationRequest { Name = "operations/j 1" }, headers).ResponseAsync.WaitAsync(Bound);

        JournalEntry entry = Assert.Single(fake.Journal.Entries);
        Assert.Equal(Transport.Grpc, entry.Transport);
        Assert.Equal(OperationsMethod.Cancel, entry.Method);
        Assert.Equal("operations/j 1", entry.OperationName);
        Assert.Equal("POST", entry.HttpMethod);
        Assert.Equal("/google.longrunning.Operations/CancelOperation", entry.RawPath);
        Assert.True(entry.BodyLength > 5);
        Assert.Equal("application/grpc", entry.ContentType);
        Assert.True(entry.HasAuthorization);
        Assert.Equal("name=operations%2Fj%201", entry.RequestParams);
        Assert.Equal("HTTP/2", entry.Protocol);
        Assert.Equal(200, entry.HttpStatus);
        Assert.Equal(StatusCode.OK, entry.Status);
        Assert.Null(entry.Fault);
    }

    [Fact]
    public async Task Journal_RestCall_RecordsRequestFields()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.GetAsync("/v1/operations?filter=done%3Dtrue&pageSize=3").WaitAsync(Bound);

        JournalEntry entry = Assert.Single(fake.Journal.Entries);
        Assert.Equal(Transport.Rest, entry.Transport);
        Assert.Equal(OperationsMethod.List, entry.Method);
        Assert.Equal("operations", entry.OperationName);
        Assert.Equal("/v1/operations?filter=done%3Dtrue&pageSize=3", entry.RawPath);
        Assert.Equal(0, entry.BodyLength);
        Assert.False(entry.HasAuthorization);
        Assert.Equal("HTTP/1.1", entry.Protocol);
        Assert.Equal(200, entry.HttpStatus);
    }

    [Fact]
    public async Task Journal_CountAndClear_ByTransportAndMethod()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning("operations/a");
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);
        using HttpClient http = fake.CreateRestClient();

        await stub.GetOperationAsync(new GetOperationRequest { Name = "operations/a" }).ResponseAsync.WaitAsync(Bound);
        await stub.GetOperationAsync(new GetOperationRequest { Name = "operations/a" }).ResponseAsync.WaitAsync(Bound);
        (await http.GetAsync("/v1/operations/a").WaitAsync(Bound)).Dispose();
        int grpcGets = fake.Journal.Count(Transport.Grpc, OperationsMethod.Get);
        int restGets = fake.Journal.Count(Transport.Rest, OperationsMethod.Get);
        int all = fake.Journal.Count();
        fake.Journal.Clear();

        Assert.Equal((2, 1, 3), (grpcGets, restGets, all));
        Assert.Empty(fake.Journal.Entries);
    }

    [Fact]
    public async Task Journal_MoreCallsThanCapacity_KeepsNewestAndCountsDropped()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.JournalCapacity = 3).WaitAsync(Bound);
        using HttpClient rest = fake.CreateRestClient();

        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage response = await rest.GetAsync($"/v1/operations/missing-{i}").WaitAsync(Bound);
        }

        Assert.Equal(["operations/missing-2", "operations/missing-3", "operations/missing-4"], fake.Journal.Entries.Select(e => e.OperationName));
        Assert.Equal(2, fake.Journal.Dropped);
        Assert.Equal("operations/missing-4", fake.Journal.Last?.OperationName);
        Assert.Equal(5, fake.Journal.Last?.Sequence);
    }

    [Fact]
    public async Task Journal_ConcurrentCalls_EveryOneRecordedOnce()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        IReadOnlyList<string> names = fake.Store.AddRunning(200);
        using HttpClient http = fake.CreateRestClient();

        await Task.WhenAll(names.Select(async n => (await http.PostAsync($"/v1/{n}:cancel", null)).Dispose())).WaitAsync(Bound);

        Assert.Equal(names.Order(), fake.Journal.Entries.Select(e => e.OperationName!).Order());
        Assert.Equal(200, fake.Journal.Entries.Select(e => e.Sequence).Distinct().Count());
        Assert.All(fake.Store.Snapshot(), o => Assert.Equal(1, o.Error.Code));
    }

    [Fact]
    public async Task RequiredToken_Grpc_MissingOrWrongUnauthenticatedRightServed()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.RequiredBearerToken = "s3cret").WaitAsync(Bound);
        fake.Store.AddRunning("operations/a");
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);
        var request = new GetOperationRequest { Name = "operations/a" };

        RpcException missing = await Assert.ThrowsAsync<RpcException>(() => stub.GetOperationAsync(request).ResponseAsync.WaitAsync(Bound));
        RpcException wrong = await Assert.ThrowsAsync<RpcException>(() => stub.GetOperationAsync(request, new Metadata { { "authorization", "Bearer nope" } }).ResponseAsync.WaitAsync(Bound));
        Operation served = await stub.GetOperationAsync(request, new Metadata { { "authorization", "Bearer s3cret" } }).ResponseAsync.WaitAsync(Bound);

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Equal("operations/a", served.Name);
    }

    [Fact]
    public async Task RequiredToken_Rest_401WithoutAndServedWith()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.RequiredBearerToken = "s3cret").WaitAsync(Bound);
        fake.Store.AddRunning("operations/a");
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage missing = await http.GetAsync("/v1/operations/a").WaitAsync(Bound);
        using var authorized = new HttpRequestMessage(HttpMethod.Get, "/v1/operations/a") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret") } };
        using HttpResponseMessage served = await http.SendAsync(authorized).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Contains("UNAUTHENTICATED", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, fake.Journal.Entries[0].Status);
    }

    [Fact]
    public async Task List_InsertsBetweenPages_NoOperationSkippedOrRepeated()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning(10, "operations/first-");
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);
        var seen = new List<string>();
        string token = string.Empty;
        int page = 0;

        do
        {
            ListOperationsResponse response = await stub.ListOperationsAsync(new ListOperationsRequest { Name = "operations", PageSize = 3, PageToken = token }).ResponseAsync.WaitAsync(Bound);
            seen.AddRange(response.Operations.Select(o => o.Name));
            token = response.NextPageToken;
            fake.Store.AddRunning($"operations/added-{page++}");
        }
        while (token.Length > 0);

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(fake.Store.Snapshot().Select(o => o.Name).Take(seen.Count), seen);
        Assert.Contains("operations/first-00009", seen);
    }

    [Fact]
    public async Task List_TokenOfAnotherFilter_InvalidArgument()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning(5);
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        ListOperationsResponse first = await stub.ListOperationsAsync(new ListOperationsRequest { Name = "operations", PageSize = 2 }).ResponseAsync.WaitAsync(Bound);
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => stub.ListOperationsAsync(
            new ListOperationsRequest { Name = "operations", PageSize = 2, PageToken = first.NextPageToken, Filter = "done=true" }).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Store_ThousandsSeeded_ListedAndBulkCancelled()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.SeedRunningOperations = 3000).WaitAsync(Bound);
        using GrpcChannel channel = fake.CreateGrpcChannel();
        var stub = new Operations.OperationsClient(channel);

        ListOperationsResponse running = await stub.ListOperationsAsync(new ListOperationsRequest { Name = "operations", Filter = "done=false", PageSize = 1000 }).ResponseAsync.WaitAsync(Bound);
        await Task.WhenAll(running.Operations.Select(o => stub.CancelOperationAsync(new CancelOperationRequest { Name = o.Name }).ResponseAsync)).WaitAsync(Bound);
        ListOperationsResponse done = await stub.ListOperationsAsync(new ListOperationsRequest { Name = "operations", Filter = "done=true", PageSize = 1000 }).ResponseAsync.WaitAsync(Bound);

        Assert.Equal(3000, fake.Store.Count);
        Assert.Equal(1000, done.Operations.Count);
        Assert.Equal("operations/seed-00000", done.Operations[0].Name);
    }
}
