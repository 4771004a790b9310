using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

namespace VaultGrpc.Tests.ClientBehaviour;

/// <summary>
/// The real client in <see cref="TransportMode.Auto"/> against the real fake serving gRPC, with every
/// fault kind injected on the gRPC side only: what the caller gets, and what went over the wire.
/// The REST side of the same faults is in Testing/ClientOverFakeRestTests.
/// </summary>
public sealed class ClientOverFakeGrpcFaultTests
{
    private const string Name = "operations/fault-1";

    public static TheoryData<FakeHosting, StatusCode> ServiceAnswers()
    {
        var data = new TheoryData<FakeHosting, StatusCode>();
        foreach (FakeHosting hosting in new[] { FakeHosting.InMemory, FakeHosting.Sockets })
        {
            foreach (StatusCode code in new[] { StatusCode.NotFound, StatusCode.PermissionDenied, StatusCode.FailedPrecondition, StatusCode.Aborted, StatusCode.ResourceExhausted })
            {
                data.Add(hosting, code);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ServiceAnswers))]
    public async Task GetAsync_ServiceAnswersErrorWithDetails_ThatRpcExceptionAndNoRest(FakeHosting hosting, StatusCode code)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Store.AddRunning(Name);
        fake.Faults.Add(
            Fault.Status(
                code,
                $"the service says {code}",
                new ErrorInfo { Reason = "VAULT_" + code, Domain = "vault.googleapis.com", Metadata = { ["matter"] = "m-1" } },
                new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(3)) }),
            transport: Transport.Grpc);
        await using VaultOperationsClient client = Create(fake);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(Name).WaitAsync(Bound));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal($"the service says {code}", error.Status.Detail);
        Google.Rpc.Status status = error.GetRpcStatus()!;
        Assert.Equal((int)code, status.Code);
        ErrorInfo info = status.GetDetail<ErrorInfo>()!;
        Assert.Equal(("VAULT_" + code, "vault.googleapis.com", "m-1"), (info.Reason, info.Domain, info.Metadata["matter"]));
        Assert.Equal(TimeSpan.FromSeconds(3), status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
        // An answer from the service: neither retried (not Unavailable) nor sent to REST, and gRPC stays first.
        JournalEntry grpc = Assert.Single(fake.Journal.Entries);
        Assert.Equal((Transport.Grpc, OperationsMethod.Get, FaultKind.Status, code), (grpc.Transport, grpc.Method, grpc.Fault!.Value, grpc.Status!.Value));
        Assert.Null(client.TransportStatus.RestStickyUntil);
    }

    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task GetAsync_UnavailableOnce_RetriedOverGrpcInTwoAttempts(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Store.AddRunning(Name);
        fake.Faults.Add(Fault.Status(StatusCode.Unavailable, "server restarting"), transport: Transport.Grpc, times: 1);
        await using VaultOperationsClient client = Create(fake);

        VaultResponse<Operation> got = await client.GetAsync(Name).WaitAsync(Bound);

        Assert.Equal(Name, got.Value.Name);
        Assert.Equal(new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 2), got.Call);
        Assert.Equal(2, fake.Journal.Count(Transport.Grpc, OperationsMethod.Get));
        Assert.Equal(0, fake.Journal.Count(Transport.Rest));
        Assert.Equal(new[] { StatusCode.Unavailable, StatusCode.OK }, fake.Journal.Entries.Select(e => e.Status!.Value));
    }

    // UNAVAILABLE sent by a gRPC server is an answer (gRPC is there, the service is not ready), not
    // "no connection": retried over gRPC up to the policy's five attempts, then surfaced, never sent to REST.
    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task GetAsync_UnavailableEveryAttempt_FiveGrpcAttemptsThenUnavailableNoRest(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Store.AddRunning(Name);
        fake.Faults.Add(Fault.Status(StatusCode.Unavailable, "down for maintenance"), transport: Transport.Grpc);
        await using VaultOperationsClient client = Create(fake);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(Name).WaitAsync(Bound));

        Assert.Equal((StatusCode.Unavailable, "down for maintenance"), (error.StatusCode, error.Status.Detail));
        Assert.Equal(5, fake.Journal.Count(Transport.Grpc, OperationsMethod.Get));
        Assert.Equal(0, fake.Journal.Count(Transport.Rest));
        Assert.Null(client.TransportStatus.RestStickyUntil);
    }

    // UNIMPLEMENTED is the one status that means "not served over gRPC" (DESIGN), even from a gRPC server.
    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task GetAsync_UnimplementedStatus_FallsBackToRestAndSticksForGetOnly(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Store.AddRunning(Name);
        fake.Faults.Add(Fault.Status(StatusCode.Unimplemented, "not here"), transport: Transport.Grpc, times: 1);
        await using VaultOperationsClient client = Create(fake);

        VaultResponse<Operation> got = await client.GetAsync(Name).WaitAsync(Bound);

        Assert.Equal(Name, got.Value.Name);
        Assert.Equal((Transport.Rest, FallbackReason.GrpcUnimplemented, 1), (got.Call.Transport, got.Call.Fallback, got.Call.Attempts));
        Assert.Equal("Unimplemented: not here", got.Call.FallbackDetail);
        Assert.Equal(new[] { Transport.Grpc, Transport.Rest }, fake.Journal.Entries.Select(e => e.Transport));

        // A gRPC server's UNIMPLEMENTED speaks of that method: Get sticks to REST, Cancel stays on
        // gRPC, and the channel as a whole is not in a sticky window.
        VaultResponse<Operation> again = await client.GetAsync(Name).WaitAsync(Bound);
        VaultCallInfo cancelled = await client.CancelAsync(Name).WaitAsync(Bound);
        Assert.Equal((Transport.Rest, FallbackReason.StickyRest), (again.Call.Transport, again.Call.Fallback));
        Assert.Equal((Transport.Grpc, FallbackReason.None), (cancelled.Transport, cancelled.Fallback));
        Assert.Null(client.TransportStatus.RestStickyUntil);
    }

    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task GetAsync_LatencyWithinTimeout_ServedOverGrpc(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Store.AddRunning(Name);
        fake.Faults.Add(Fault.Latency(TimeSpan.FromMilliseconds(50)), transport: Transport.Grpc);
        await using VaultOperationsClient client = Create(fake);

        VaultResponse<Operation> got = await client.GetAsync(Name, timeout: TimeSpan.FromSeconds(10)).WaitAsync(Bound);

        Assert.Equal(Name, got.Value.Name);
        Assert.Equal(new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 1), got.Call);
        JournalEntry grpc = Assert.Single(fake.Journal.Entries);
        Assert.Equal((Transport.Grpc, FaultKind.Latency, StatusCode.OK), (grpc.Transport, grpc.Fault!.Value, grpc.Status!.Value));
    }

    [Theory]
    [InlineData(FakeHosting.InMemory, FaultKind.Latency)]
    [InlineData(FakeHosting.InMemory, FaultKind.Hang)]
    [InlineData(FakeHosting.Sockets, FaultKind.Latency)]
    [InlineData(FakeHosting.Sockets, FaultKind.Hang)]
    public async Task GetAsync_SlowerThanTimeout_DeadlineExceededWithoutFallback(FakeHosting hosting, FaultKind kind)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Store.AddRunning(Name);
        await using VaultOperationsClient client = await CreateWarmAsync(fake, Name);
        fake.Faults.Add(kind == FaultKind.Hang ? Fault.Hang() : Fault.Latency(TimeSpan.FromSeconds(30)), transport: Transport.Grpc);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(Name, timeout: TimeSpan.FromMilliseconds(500)).WaitAsync(Bound));

        // The caller's time budget is spent: REST would overrun it, and a slow gRPC side is no proof it is absent.
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(new VaultTransportStatus(null, FallbackReason.None, null), client.TransportStatus);
        Assert.Equal(0, fake.Journal.Count(Transport.Rest));
        // One gRPC attempt, held by the fault. (On a stalled machine the deadline can pass before the
        // request even reaches the fake, so none is allowed too; never a retry.)
        IReadOnlyList<JournalEntry> grpc = fake.Journal.Where(Transport.Grpc);
        Assert.InRange(grpc.Count, 0, 1);
        foreach (JournalEntry entry in grpc)
        {
            Assert.Equal(kind, entry.Fault);
            // The client's reset reaches the fake, which stops holding the call.
            await WaitCompletedAsync(entry);
        }
    }

    // Kestrel resets the stream before the client has read response headers (grpc-dotnet: "Error
    // starting gRPC call", HttpProtocolException); the fake's service never ran. DESIGN's "reset before
    // response" that falls back is a TCP connection reset, where no server can have taken the request.
    // An RST_STREAM comes from an HTTP/2 server that accepted the request's stream and may have acted on
    // it, so the classifier calls it an answer and never falls back (a Delete must not run twice, once
    // per transport). Only REFUSED_STREAM (7), which per RFC 9113 §8.7 promises the request was not
    // processed, maps to Unavailable and is retried over gRPC; INTERNAL_ERROR (2) and CANCEL (8) reach
    // the caller as Internal and Cancelled, in a VaultOutcomeUnknownException: the delete may have run.
    [Theory]
    [InlineData(2, StatusCode.Internal)]
    [InlineData(8, StatusCode.Cancelled)]
    public async Task DeleteAsync_StreamResetOverSockets_ThatCodeNoRetryNoFallback(int http2Code, StatusCode expected)
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning(Name);
        fake.Faults.Add(Fault.ResetStream(http2Code), transport: Transport.Grpc, times: 1);
        await using VaultOperationsClient client = Create(fake);

        RpcException error = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => client.DeleteAsync(Name).WaitAsync(Bound));
        VaultCallInfo again = await client.DeleteAsync(Name).WaitAsync(Bound);

        Assert.Equal(expected, error.StatusCode);
        Assert.Contains($"(0x{http2Code:x})", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 1), again);
        Assert.Equal(2, fake.Journal.Count(Transport.Grpc, OperationsMethod.Delete));
        Assert.Equal(0, fake.Journal.Count(Transport.Rest));
        Assert.Equal(FaultKind.ResetStream, fake.Journal.Entries[0].Fault);
        Assert.Null(fake.Store.Find(Name));
    }

    [Fact]
    public async Task DeleteAsync_RefusedStreamOverSockets_RetriedOverGrpcAndDeletedOnce()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning(Name);
        fake.Faults.Add(Fault.ResetStream(7), transport: Transport.Grpc, times: 1);
        await using VaultOperationsClient client = Create(fake);

        VaultCallInfo deleted = await client.DeleteAsync(Name).WaitAsync(Bound);

        // REFUSED_STREAM → Unavailable → the retry policy's one retryable code; the refused attempt never ran.
        Assert.Equal(new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 2), deleted);
        Assert.Equal(0, fake.Journal.Count(Transport.Rest));
        IReadOnlyList<JournalEntry> grpc = fake.Journal.Where(Transport.Grpc, OperationsMethod.Delete);
        Assert.Equal(2, grpc.Count);
        Assert.Equal((FaultKind?)FaultKind.ResetStream, grpc[0].Fault);
        Assert.Equal(((FaultKind?)null, (StatusCode?)StatusCode.OK), (grpc[1].Fault, grpc[1].Status));
        Assert.Null(fake.Store.Find(Name));
    }

    // TestServer has no HTTP/2 framing: a reset reaches grpc-dotnet as HttpResetTestException, which it
    // reports as Internal whatever the code. Still an answer: not retried, not sent to REST.
    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task DeleteAsync_StreamResetInMemory_InternalNoRetryNoFallback(int http2Code)
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.InMemory);
        fake.Store.AddRunning(Name);
        fake.Faults.Add(Fault.ResetStream(http2Code), transport: Transport.Grpc, times: 1);
        await using VaultOperationsClient client = Create(fake);

        RpcException error = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => client.DeleteAsync(Name).WaitAsync(Bound));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        JournalEntry grpc = Assert.Single(fake.Journal.Entries);
        Assert.Equal((Transport.Grpc, FaultKind.ResetStream), (grpc.Transport, grpc.Fault!.Value));
        Assert.NotNull(fake.Store.Find(Name));
        Assert.Null(client.TransportStatus.RestStickyUntil);
    }

    // Kestrel's HttpContext.Abort on HTTP/2 resets only that stream (INTERNAL_ERROR), not the connection:
    // the client sees Internal. In memory the abort is an OperationCanceledException under Cancelled (not
    // the caller's token). Either way the request had reached the server: no retry, no REST, and the next
    // call goes over gRPC again on the same client.
    [Theory]
    [InlineData(FakeHosting.Sockets, StatusCode.Internal)]
    [InlineData(FakeHosting.InMemory, StatusCode.Cancelled)]
    public async Task DeleteAsync_ConnectionAbortedMidCall_AnswerNotRetriedNextCallOverGrpc(FakeHosting hosting, StatusCode expected)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Store.AddRunning(Name);
        fake.Faults.Add(Fault.AbortConnection(), transport: Transport.Grpc, times: 1);
        await using VaultOperationsClient client = Create(fake);

        RpcException error = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => client.DeleteAsync(Name).WaitAsync(Bound));
        VaultCallInfo again = await client.DeleteAsync(Name).WaitAsync(Bound);

        Assert.Equal(expected, error.StatusCode);
        Assert.Equal(new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 1), again);
        Assert.Equal(FaultKind.AbortConnection, fake.Journal.Entries[0].Fault);
        Assert.Equal(2, fake.Journal.Count(Transport.Grpc, OperationsMethod.Delete));
        Assert.Equal(0, fake.Journal.Count(Transport.Rest));
    }

    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task GetAsync_TooManyRequests_ResourceExhaustedNotRetriedNoFallback(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Store.AddRunning(Name);
        fake.Faults.Add(Fault.TooManyRequests(TimeSpan.FromSeconds(7)), transport: Transport.Grpc);
        await using VaultOperationsClient client = Create(fake);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(Name).WaitAsync(Bound));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), error.GetRpcStatus()!.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
        JournalEntry grpc = Assert.Single(fake.Journal.Entries);
        Assert.Equal((Transport.Grpc, FaultKind.TooManyRequests), (grpc.Transport, grpc.Fault!.Value));
    }

    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task GetAsync_CallerCancelsWhileGrpcHangs_OperationCanceledAndNoRest(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting);
        fake.Store.AddRunning(Name);
        fake.Faults.Add(Fault.Hang(), transport: Transport.Grpc);
        await using VaultOperationsClient client = Create(fake);
        using var cancellation = new CancellationTokenSource();

        // Cancel once the fake holds the call: mid-call, whatever the machine's load.
        Task<VaultResponse<Operation>> call = client.GetAsync(Name, timeout: TimeSpan.FromSeconds(15), cancellationToken: cancellation.Token);
        await WaitJournalAsync(fake, 1);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(20));
        Exception thrown = await Record.ExceptionAsync(() => call.WaitAsync(Bound));

        // The caller's own cancellation, not an RpcException, and nothing tried over REST.
        OperationCanceledException cancelled = Assert.IsAssignableFrom<OperationCanceledException>(thrown);
        Assert.Equal(cancellation.Token, cancelled.CancellationToken);
        JournalEntry grpc = Assert.Single(fake.Journal.Entries);
        Assert.Equal((Transport.Grpc, FaultKind.Hang), (grpc.Transport, grpc.Fault!.Value));
        await WaitCompletedAsync(grpc);
        Assert.Equal(0, fake.Journal.Count(Transport.Rest));
        Assert.Null(client.TransportStatus.RestStickyUntil);
    }

    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task GetAsync_ThirtyPercentUnavailable_AllServedAndJournalCountsEveryRetry(FakeHosting hosting)
    {
        const int Calls = 200;
        await using FakeOperationsServer fake = await StartAsync(hosting, o => o.RandomSeed = 20261128);
        fake.Store.AddRunning(Name);
        FaultRule rule = fake.Faults.Add(Fault.Status(StatusCode.Unavailable, "flaky"), transport: Transport.Grpc, probability: 0.3);
        VaultOperationsClientOptions options = Options(fake);
        // Eight attempts: with one call after another, the seeded draws are the same every run.
        options.Retry.MaxAttempts = 8;
        await using VaultOperationsClient client = VaultOperationsClient.Create(options);

        var calls = new List<VaultCallInfo>(Calls);
        for (int i = 0; i < Calls; i++)
        {
            calls.Add((await client.GetAsync(Name).WaitAsync(Bound)).Call);
        }

        int retries = calls.Sum(c => c.Attempts - 1);
        Assert.All(calls, c => Assert.Equal((Transport.Grpc, FallbackReason.None), (c.Transport, c.Fallback)));
        Assert.InRange(retries, 30, 150);
        Assert.Equal(retries, rule.Hits);
        Assert.Equal(Calls + retries, fake.Journal.Count(Transport.Grpc, OperationsMethod.Get));
        Assert.Equal(retries, fake.Journal.Entries.Count(e => e.Status == StatusCode.Unavailable));
        Assert.Equal(0, fake.Journal.Count(Transport.Rest));
    }
}
