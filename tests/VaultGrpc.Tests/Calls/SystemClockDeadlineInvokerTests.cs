using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using VaultGrpc.Internal.Calls;
using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.GrpcCalls;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.Calls;

/// <summary>
/// Grpc.Net.Client measures deadlines on the system clock; a client on a fake clock must hand it
/// the time left, not the fake instant. Bounds below come from reading the system clock around
/// the call, never from how long anything took.
/// </summary>
[Trait("Category", "Reliability")]
public class SystemClockDeadlineInvokerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AsyncUnaryCall_DeadlineOnFakeClock_KeepsTheTimeLeftOnTheSystemClock()
    {
        FakeTimeProvider clock = FakeTime.Create();
        var inner = RecordingCallInvoker.Answering(new Operation());
        var invoker = new SystemClockDeadlineInvoker(inner, clock);
        TimeSpan left = TimeSpan.FromSeconds(30);

        DateTime before = DateTime.UtcNow;
        await CallAsync(invoker, clock.GetUtcNow().UtcDateTime + left);
        DateTime after = DateTime.UtcNow;

        Assert.InRange(Assert.Single(inner.Calls).Options.Deadline!.Value, before + left, after + left);
    }

    [Fact]
    public async Task AsyncUnaryCall_FakeDeadlinePassed_PassedOnTheSystemClockToo()
    {
        FakeTimeProvider clock = FakeTime.Create();
        var inner = RecordingCallInvoker.Answering(new Operation());
        var invoker = new SystemClockDeadlineInvoker(inner, clock);

        DateTime before = DateTime.UtcNow;
        await CallAsync(invoker, clock.GetUtcNow().UtcDateTime.AddSeconds(-5));

        Assert.True(Assert.Single(inner.Calls).Options.Deadline!.Value < before);
    }

    [Fact]
    public async Task AsyncUnaryCall_NoDeadline_PassesNone()
    {
        var inner = RecordingCallInvoker.Answering(new Operation());
        var invoker = new SystemClockDeadlineInvoker(inner, FakeTime.Create());

        await CallAsync(invoker, deadline: null);

        Assert.Null(Assert.Single(inner.Calls).Options.Deadline);
    }

    [Fact]
    public async Task AsyncUnaryCall_MaxValueDeadline_StaysMaxValue()
    {
        var inner = RecordingCallInvoker.Answering(new Operation());
        var invoker = new SystemClockDeadlineInvoker(inner, FakeTime.Create());

        await CallAsync(invoker, DateTime.MaxValue);

        Assert.Equal(DateTime.MaxValue, Assert.Single(inner.Calls).Options.Deadline);
    }

    [Fact]
    public async Task AsyncUnaryCall_TimeLeftBeyondTheCalendar_CapsAtMaxValue()
    {
        // A clock far in the past makes the time left larger than the system clock can add.
        var clock = new FakeTimeProvider(new DateTimeOffset(1, 1, 2, 0, 0, 0, TimeSpan.Zero));
        var inner = RecordingCallInvoker.Answering(new Operation());
        var invoker = new SystemClockDeadlineInvoker(inner, clock);

        await CallAsync(invoker, DateTime.MaxValue.AddDays(-1));

        Assert.Equal(DateTime.MaxValue, Assert.Single(inner.Calls).Options.Deadline);
    }

    [Fact]
    public async Task AsyncUnaryCall_HeadersAndToken_PassedUnchanged()
    {
        var inner = RecordingCallInvoker.Answering(new Operation());
        var invoker = new SystemClockDeadlineInvoker(inner, FakeTime.Create());
        using var caller = new CancellationTokenSource();
        Metadata headers = GrpcCallHeaders.Create("api/1", "operations/x");

        await new Operations.OperationsClient(invoker)
            .GetOperationAsync(new GetOperationRequest { Name = "operations/x" }, new CallOptions(headers, deadline: null, caller.Token))
            .ResponseAsync.WaitAsync(Bound);

        CallOptions sent = Assert.Single(inner.Calls).Options;
        Assert.Same(headers, sent.Headers);
        Assert.Equal(caller.Token, sent.CancellationToken);
    }

    [Fact]
    public async Task GetAsync_ClientOnFakeClock_ChannelSeesTheTimeoutOnTheSystemClock()
    {
        // Through the client: its stack puts this invoker under the stub when the clock is not the system's.
        FakeTimeProvider clock = FakeTime.Create();
        var grpc = RecordingCallInvoker.Answering(new Operation());
        var options = new VaultOperationsClientOptions { Credentials = VaultCredentials.None, TransportMode = TransportMode.GrpcOnly, TimeProvider = clock };
        options.Validate();
        using var client = new VaultOperationsClientImpl(options, new OperationsStack(options, grpc, rest: null));
        TimeSpan timeout = TimeSpan.FromMinutes(3);

        DateTime before = DateTime.UtcNow;
        await client.GetAsync("operations/x", timeout).WaitAsync(Bound);
        DateTime after = DateTime.UtcNow;

        Assert.InRange(Assert.Single(grpc.Calls).Options.Deadline!.Value, before + timeout, after + timeout);
    }

    private static Task<Operation> CallAsync(CallInvoker invoker, DateTime? deadline) =>
        new Operations.OperationsClient(invoker)
            .GetOperationAsync(new GetOperationRequest { Name = "operations/x" }, deadline: deadline)
            .ResponseAsync.WaitAsync(Bound);
}
