using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

namespace VaultGrpc.Tests.ClientBehaviour;

/// <summary>What a fallback looks like to whoever watches the client: its activity, its counters, its logs.</summary>
public sealed class TelemetryTests
{
    private const string Token = "secret-token-123";
    // The facade's own category, and its fallback invoker's (which logs the fallback itself).
    private static readonly string[] LibraryCategories = ["VaultGrpc.VaultOperationsClient", "VaultGrpc.FallbackCallInvoker"];

    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task CancelAsync_FallsBack_ActivityTaggedRestAndGrpcUnimplemented(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, o =>
        {
            o.GrpcMode = GrpcServingMode.Unimplemented;
            o.SeedRunningOperations = 1;
        });
        await using VaultOperationsClient client = Create(fake);
        using var recorder = new TraceRecorder(nameof(CancelAsync_FallsBack_ActivityTaggedRestAndGrpcUnimplemented));

        VaultCallInfo info = await client.CancelAsync("operations/seed-00000").WaitAsync(Bound);

        Assert.Equal((Transport.Rest, FallbackReason.GrpcUnimplemented), (info.Transport, info.Fallback));
        Activity activity = Assert.Single(recorder.Activities);
        Assert.Equal("google.longrunning.Operations/CancelOperation", activity.OperationName);
        Assert.Equal(ActivityKind.Client, activity.Kind);
        Assert.Equal("rest", activity.GetTagItem("vaultgrpc.transport"));
        Assert.Equal("GrpcUnimplemented", activity.GetTagItem("vaultgrpc.fallback"));
        Assert.Equal("google.longrunning.Operations/CancelOperation", activity.GetTagItem("rpc.method"));
        Assert.Equal("OK", activity.GetTagItem("rpc.response.status_code"));
        Assert.Equal(1, activity.GetTagItem("vaultgrpc.attempts"));
        Assert.NotEqual(ActivityStatusCode.Error, activity.Status);
        Assert.Equal((1, 1), (fake.Journal.Count(Transport.Grpc, OperationsMethod.Cancel), fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel)));
    }

    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task CancelAsync_FallsBackThenSticks_CallsCountedPerReasonFallbackCountedOnce(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, o =>
        {
            o.GrpcMode = GrpcServingMode.Unimplemented;
            o.SeedRunningOperations = 2;
        });
        await using VaultOperationsClient client = Create(fake);
        using var recorder = new TraceRecorder(nameof(CancelAsync_FallsBackThenSticks_CallsCountedPerReasonFallbackCountedOnce));

        await client.CancelAsync("operations/seed-00000").WaitAsync(Bound);
        await client.CancelAsync("operations/seed-00001").WaitAsync(Bound);

        TraceRecorder.RecordedMeasurement[] calls = recorder.Measurements.Where(m => m.Instrument == "vaultgrpc.client.calls").ToArray();
        Assert.Equal(2, calls.Length);
        Assert.All(calls, m =>
        {
            Assert.Equal(1, m.Value);
            Assert.Equal("google.longrunning.Operations/CancelOperation", m.Tag("rpc.method"));
            Assert.Equal("rest", m.Tag("vaultgrpc.transport"));
            Assert.Equal("OK", m.Tag("rpc.response.status_code"));
        });
        Assert.Equal(["GrpcUnimplemented", "StickyRest"], calls.Select(m => (string)m.Tag("vaultgrpc.fallback")!));
        // Only the call that found gRPC not serving counts as a fallback; the sticky one never tried gRPC.
        TraceRecorder.RecordedMeasurement fallback = Assert.Single(recorder.Measurements, m => m.Instrument == "vaultgrpc.client.fallbacks");
        Assert.Equal((1.0, "GrpcUnimplemented"), (fallback.Value, fallback.Tag("vaultgrpc.fallback")));
        Assert.Equal(2, recorder.Measurements.Count(m => m.Instrument == "vaultgrpc.client.call.duration" && (string?)m.Tag("vaultgrpc.transport") == "rest"));
        Assert.Equal((1, 2), (fake.Journal.Count(Transport.Grpc), fake.Journal.Count(Transport.Rest)));
    }

    [Theory]
    [MemberData(nameof(Hostings), MemberType = typeof(FakeClients))]
    public async Task Calls_FallbackRetryAndErrors_WarningEventOneAndTokenNeverLogged(FakeHosting hosting)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, o =>
        {
            o.GrpcMode = GrpcServingMode.Unimplemented;
            o.RequiredBearerToken = Token;
            o.SeedRunningOperations = 2;
        });
        // One REST Get fails UNAVAILABLE, so the retry is logged too.
        fake.Faults.Add(Fault.Status(StatusCode.Unavailable, "overloaded"), OperationsMethod.Get, Transport.Rest, times: 1);
        using var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        VaultOperationsClientOptions options = Options(fake);
        options.Credentials = VaultCredentials.FromAccessToken(Token);
        options.LoggerFactory = loggerFactory;
        await using VaultOperationsClient client = VaultOperationsClient.Create(options);

        VaultCallInfo cancelled = await client.CancelAsync("operations/seed-00000").WaitAsync(Bound);
        VaultResponse<Operation> got = await client.GetAsync("operations/seed-00001").WaitAsync(Bound);
        RpcException missing = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync("operations/none").WaitAsync(Bound));

        Assert.Equal((Transport.Rest, FallbackReason.GrpcUnimplemented), (cancelled.Transport, cancelled.Fallback));
        Assert.Equal((Transport.Rest, FallbackReason.StickyRest, 2), (got.Call.Transport, got.Call.Fallback, got.Call.Attempts));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        // The token did go over the wire, on both transports.
        Assert.All(fake.Journal.Entries, e => Assert.True(e.HasAuthorization, e.ToString()));
        Assert.Equal(1, fake.Journal.Count(Transport.Grpc));

        // The factory reaches grpc-dotnet's channel too; the library's own entries have their own category.
        CapturedLog[] library = logs.Logs.Where(l => LibraryCategories.Contains(l.Category)).ToArray();
        CapturedLog warning = Assert.Single(library, l => l.EventId.Id == 1);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal("GrpcUnimplemented", warning.Values.Single(v => v.Key == "Reason").Value!.ToString());
        Assert.Contains(library, l => l.EventId.Id == 4 && l.Message.Contains("Unavailable", StringComparison.Ordinal));
        // Nothing logged by anyone, at any level, carries the token: message, values or exception.
        Assert.All(logs.Logs, l => Assert.DoesNotContain(Token, l.AllText(), StringComparison.Ordinal));
        Assert.DoesNotContain(Token, client.TransportStatus.LastFallbackDetail ?? string.Empty, StringComparison.Ordinal);
    }
}
