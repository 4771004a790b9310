using VaultGrpc.LongRunning;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Integration;

/// <summary>
/// The fallback matrix through the real client and the real fake: every gRPC-side mode × every
/// method, over real sockets (Kestrel on 127.0.0.1) and in memory (TestServer), asserting both what
/// the client reports and what the server received.
/// </summary>
public sealed class FallbackMatrixTests
{
    // Slashes, a space, '?', '#', '%' and non-ASCII: the REST path must carry them encoded.
    private const string OperationName = "operations/matrix/a b?c#d%e/é";
    private const string EncodedPath = "/v1/operations/matrix/a%20b%3Fc%23d%25e/%C3%A9";

    public static TheoryData<FakeHosting, GrpcServingMode, OperationsMethod> Cases()
    {
        var data = new TheoryData<FakeHosting, GrpcServingMode, OperationsMethod>();
        foreach (OperationsMethod method in Enum.GetValues<OperationsMethod>())
        {
            foreach (GrpcServingMode mode in Enum.GetValues<GrpcServingMode>())
            {
                data.Add(FakeHosting.Sockets, mode, method);
                if (mode is not (GrpcServingMode.NotListening or GrpcServingMode.Http1Only))
                {
                    data.Add(FakeHosting.InMemory, mode, method);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Call_GrpcSideMode_ServedByExpectedTransport(FakeHosting hosting, GrpcServingMode mode, OperationsMethod method)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o =>
        {
            o.Hosting = hosting;
            o.GrpcMode = mode;
        });
        fake.Store.AddDone(OperationName);
        await using VaultOperationsClient client = VaultOperationsClient.Create(fake.CreateClientOptions());

        if (mode == GrpcServingMode.Gateway503 && method == OperationsMethod.Delete)
        {
            // A gateway's 503 proves gRPC is not served, not that the backend did not act first:
            // a Delete is not sent again over REST; its outcome is reported unknown.
            var unknown = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => CallAsync(client, method).WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(Grpc.Core.StatusCode.Unavailable, unknown.StatusCode);
            Assert.Equal(0, fake.Journal.Count(Transport.Rest));
            fake.Journal.Clear();
            VaultCallInfo afterUnknown = await CallAsync(client, OperationsMethod.List).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal((Transport.Rest, FallbackReason.StickyRest), (afterUnknown.Transport, afterUnknown.Fallback));
            return;
        }

        VaultCallInfo first = await CallAsync(client, method).WaitAsync(TimeSpan.FromSeconds(30));
        fake.Journal.Clear();
        // After a delete the operation is gone, so the second call lists instead.
        OperationsMethod secondMethod = method == OperationsMethod.Delete ? OperationsMethod.List : method;
        VaultCallInfo second = await CallAsync(client, secondMethod).WaitAsync(TimeSpan.FromSeconds(30));

        if (mode == GrpcServingMode.Serve)
        {
            Assert.Equal((Transport.Grpc, FallbackReason.None), (first.Transport, first.Fallback));
            Assert.Equal((Transport.Grpc, FallbackReason.None), (second.Transport, second.Fallback));
            Assert.Equal(0, fake.Journal.Count(Transport.Rest));
            return;
        }

        Assert.Equal(Transport.Rest, first.Transport);
        Assert.Contains(first.Fallback, ExpectedFirstFallback(mode, method));
        Assert.False(string.IsNullOrEmpty(first.FallbackDetail));

        // Sticky: the next call goes straight to REST; the gRPC side sees nothing more.
        Assert.Equal((Transport.Rest, FallbackReason.StickyRest), (second.Transport, second.Fallback));
        Assert.Equal(0, fake.Journal.Count(Transport.Grpc));
        JournalEntry rest = Assert.Single(fake.Journal.Where(Transport.Rest));
        AssertRestRequest(rest, secondMethod == OperationsMethod.Wait ? OperationsMethod.Get : secondMethod);
    }

    [Theory]
    [InlineData(FakeHosting.Sockets)]
    [InlineData(FakeHosting.InMemory)]
    public async Task Cancel_GrpcUnimplemented_RestReceivesEmptyPostOnEncodedPath(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o =>
        {
            o.Hosting = hosting;
            o.GrpcMode = GrpcServingMode.Unimplemented;
        });
        fake.Store.AddRunning(OperationName);
        await using VaultOperationsClient client = VaultOperationsClient.Create(fake.CreateClientOptions());

        VaultCallInfo info = await client.CancelAsync(OperationName).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((Transport.Rest, FallbackReason.GrpcUnimplemented), (info.Transport, info.Fallback));
        JournalEntry grpc = Assert.Single(fake.Journal.Where(Transport.Grpc));
        Assert.Equal(OperationsMethod.Cancel, grpc.Method);
        Assert.Equal("name=" + Uri.EscapeDataString(OperationName), grpc.RequestParams);
        JournalEntry rest = Assert.Single(fake.Journal.Where(Transport.Rest));
        AssertRestRequest(rest, OperationsMethod.Cancel);
        Assert.Equal(1, fake.Store.Find(OperationName)!.Error.Code);
    }

    private static FallbackReason[] ExpectedFirstFallback(GrpcServingMode mode, OperationsMethod method) => (mode, method) switch
    {
        // Every mode here is about the whole gRPC side (the fake's Unimplemented is a server without
        // the service), so WaitOperation's failure opens the sticky window before the first Get poll.
        (_, OperationsMethod.Wait) => [FallbackReason.StickyRest],
        (GrpcServingMode.Unimplemented, _) => [FallbackReason.GrpcUnimplemented],
        (GrpcServingMode.NotListening, _) => [FallbackReason.GrpcNoConnection],
        _ => [FallbackReason.GrpcNotServed],
    };

    private static void AssertRestRequest(JournalEntry entry, OperationsMethod method)
    {
        Assert.Equal(method, entry.Method);
        Assert.False(entry.HasAuthorization);
        Assert.StartsWith("gl-dotnet/", entry.ApiClient, StringComparison.Ordinal);
        switch (method)
        {
            case OperationsMethod.Cancel:
                Assert.Equal(("POST", EncodedPath + ":cancel", 0L), (entry.HttpMethod, entry.RawPath, entry.BodyLength));
                Assert.Equal(OperationName, entry.OperationName);
                break;
            case OperationsMethod.Get:
                Assert.Equal(("GET", EncodedPath), (entry.HttpMethod, entry.RawPath));
                Assert.Equal(OperationName, entry.OperationName);
                break;
            case OperationsMethod.Delete:
                Assert.Equal(("DELETE", EncodedPath), (entry.HttpMethod, entry.RawPath));
                break;
            case OperationsMethod.List:
                Assert.Equal("GET", entry.HttpMethod);
                Assert.StartsWith("/v1/operations", entry.RawPath, StringComparison.Ordinal);
                break;
        }
    }

    private static async Task<VaultCallInfo> CallAsync(VaultOperationsClient client, OperationsMethod method) => method switch
    {
        OperationsMethod.Cancel => await client.CancelAsync(OperationName),
        OperationsMethod.Get => (await client.GetAsync(OperationName)).Call,
        OperationsMethod.Delete => await client.DeleteAsync(OperationName),
        OperationsMethod.List => (await client.ListPageAsync(pageSize: 10)).Call,
        OperationsMethod.Wait => (await client.WaitAsync(OperationName, TimeSpan.FromSeconds(5))).Call,
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };
}
