using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Lifecycle;

/// <summary>The typed operation: its poll schedule measured on a fake clock, its typed views, result and failure.</summary>
[Trait("Category", "Reliability")]
public sealed class VaultOperationTests
{
    private const string Name = "operations/count-1";

    [Fact]
    public async Task PollUntilCompleted_DefaultSettings_PollsAtTheDocumentedSchedule()
    {
        var time = new RecordingTime();
        var client = new ScriptedOperationClient(time, poll => Running(poll, done: poll == 8));
        var operation = new VaultOperation<Int64Value, Int64Value>(client, Running(0, done: false));

        VaultOperation<Int64Value, Int64Value> done = await time.DriveAsync(operation.PollUntilCompletedAsync());

        // 1 s, ×1.5, capped at 10 s: polls at 1, 2.5, 4.75, 8.125, 13.1875, 20.78125, 30.78125, 40.78125 s
        // (Task.Delay keeps whole milliseconds, so a poll may come up to 1 ms per delay before that).
        Assert.True(done.IsDone);
        AssertSeconds([1, 2.5, 4.75, 8.125, 13.1875, 20.78125, 30.78125, 40.78125], client.Polls.Select(p => p - time.Start));
        AssertSeconds([1, 1.5, 2.25, 3.375, 5.0625, 7.59375, 10, 10], time.Delays);
        Assert.Equal(8, done.Result.Value);
    }

    [Fact]
    public async Task PollUntilCompleted_NeverDone_LastPollAtTheExpirationReturnsNotDone()
    {
        var time = new RecordingTime();
        var client = new ScriptedOperationClient(time, poll => Running(poll, done: false));
        var operation = new VaultOperation<Int64Value, Int64Value>(client, Running(0, done: false));
        var settings = new VaultPollSettings { InitialDelay = TimeSpan.FromSeconds(1), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(4), Expiration = TimeSpan.FromSeconds(10) };

        VaultOperation<Int64Value, Int64Value> latest = await time.DriveAsync(operation.PollUntilCompletedAsync(settings));

        Assert.False(latest.IsDone);
        Assert.Equal([1, 3, 7, 10], client.Polls.Select(p => (p - time.Start).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(10), time.Elapsed);
        Assert.Equal(4, latest.Metadata!.Value);
    }

    [Fact]
    public async Task PollUntilCompleted_ResumedFromName_PollsAtOnceThenBacksOff()
    {
        var time = new RecordingTime();
        var client = new ScriptedOperationClient(time, poll => Running(poll, done: poll == 3));
        var resumed = VaultOperation<Int64Value, Int64Value>.FromName(client, Name);

        VaultOperation<Int64Value, Int64Value> done = await time.DriveAsync(resumed.PollUntilCompletedAsync());

        Assert.Equal([0, 1, 2.5], client.Polls.Select(p => (p - time.Start).TotalSeconds));
        Assert.Equal(3, done.Result.Value);
    }

    [Fact]
    public async Task PollUntilCompleted_MetadataCallback_SeesEachPollsProgressInOrder()
    {
        var time = new RecordingTime();
        var client = new ScriptedOperationClient(time, poll => Running(poll, done: poll == 4));
        var progress = new List<long>();

        await time.DriveAsync(new VaultOperation<Int64Value, Int64Value>(client, Running(0, false)).PollUntilCompletedAsync(metadataCallback: m => progress.Add(m.Value)));

        Assert.Equal([1, 2, 3, 4], progress);
    }

    [Fact]
    public void PollSettings_OutOfRange_EveryProblemNamed()
    {
        var settings = new VaultPollSettings { InitialDelay = TimeSpan.FromSeconds(-1), Multiplier = 0.5, Expiration = TimeSpan.Zero };

        ArgumentException error = Assert.Throws<ArgumentException>(settings.Validate);

        Assert.Contains("InitialDelay", error.Message);
        Assert.Contains("Multiplier", error.Message);
        Assert.Contains("Expiration", error.Message);
    }

    [Fact]
    public void PollSettings_ZeroInitialDelay_RefusedAsATightLoop()
    {
        var settings = new VaultPollSettings { InitialDelay = TimeSpan.Zero };

        ArgumentException error = Assert.Throws<ArgumentException>(settings.Validate);

        Assert.Contains("InitialDelay must be positive", error.Message);
    }

    [Fact]
    public void Result_FailedOperation_ThrowsTypedExceptionWithStatusAndDetails()
    {
        var error = new Google.Rpc.Status { Code = (int)StatusCode.ResourceExhausted, Message = "Too many accounts." };
        error.Details.Add(Any.Pack(new Google.Rpc.ErrorInfo { Reason = "ACCOUNT_LIMIT" }));
        var operation = new VaultOperation<Int64Value, Int64Value>(NoCalls(), new Operation { Name = Name, Done = true, Error = error });

        VaultOperationFailedException failed = Assert.Throws<VaultOperationFailedException>(() => operation.Result);

        Assert.Equal(StatusCode.ResourceExhausted, failed.StatusCode);
        Assert.Equal(error, failed.RpcStatus);
        Assert.Equal(error, failed.GetRpcStatus());
        Assert.Equal(Name, failed.OperationName);
        Assert.True(operation.IsFaulted);
        Assert.False(operation.IsCancelled);
    }

    [Fact]
    public void Result_NotDone_ThrowsInvalidOperation()
    {
        var operation = new VaultOperation<Int64Value, Int64Value>(NoCalls(), Running(1, done: false));

        Assert.Throws<InvalidOperationException>(() => operation.Result);
    }

    [Theory]
    [InlineData("type.googleapis.com/google.protobuf.Int64Value")]
    [InlineData("example.com/types/google.protobuf.Int64Value")]
    [InlineData("/google.protobuf.Int64Value")]
    public void Result_AnyHostPrefix_MatchedOnTheFullMessageName(string typeUrl)
    {
        var response = new Any { TypeUrl = typeUrl, Value = new Int64Value { Value = long.MaxValue }.ToByteString() };
        var operation = new VaultOperation<Int64Value, Int64Value>(NoCalls(), new Operation { Name = Name, Done = true, Response = response });

        Assert.Equal(long.MaxValue, operation.Result.Value);
    }

    [Fact]
    public void Result_OtherType_ThrowsNamingBothTypes()
    {
        var operation = new VaultOperation<Int64Value, Int64Value>(NoCalls(), new Operation { Name = Name, Done = true, Response = Any.Pack(new StringValue()) });

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => operation.Result);

        Assert.Contains("google.protobuf.StringValue", error.Message);
        Assert.Contains("google.protobuf.Int64Value", error.Message);
    }

    [Fact]
    public void Metadata_UnregisteredTypeKeptAsStructOverRest_ReadFromItsJsonExactly()
    {
        // What the REST path hands back for a type the client was not told of: a Struct with the JSON and its @type.
        Struct other = Struct.Parser.ParseJson("""{"@type":"type.googleapis.com/google.protobuf.UInt64Value","value":"1"}""");
        var operation = new VaultOperation<Empty, Int64Value>(NoCalls(), new Operation { Name = Name, Metadata = Any.Pack(other) });
        Struct counted = Struct.Parser.ParseJson("""{"@type":"type.googleapis.com/google.protobuf.Int64Value","value":"9007199254740993"}""");
        var typed = new VaultOperation<Empty, Int64Value>(NoCalls(), new Operation { Name = Name, Metadata = Any.Pack(counted) });

        Assert.Throws<InvalidOperationException>(() => operation.Metadata);
        Assert.Equal(9007199254740993L, typed.Metadata!.Value);
    }

    [Fact]
    public async Task CancelAndConfirmAndDelete_GoThroughTheClientWithTheName()
    {
        var client = new ScriptedOperationClient(TimeProvider.System, _ => Running(1, false));
        var operation = VaultOperation<Int64Value, Int64Value>.FromName(client, Name);

        VaultCancelResult cancelled = await operation.CancelAndConfirmAsync(TimeSpan.FromSeconds(5));
        await operation.DeleteAsync();

        Assert.True(cancelled.IsCancelled);
        Assert.Equal([$"cancel-and-confirm {Name} 00:00:05", $"delete {Name}"], client.Calls);
    }

    private static void AssertSeconds(double[] expected, IEnumerable<TimeSpan> actual)
    {
        double[] seconds = actual.Select(t => t.TotalSeconds).ToArray();
        Assert.Equal(expected.Length, seconds.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - seconds[i]) <= 0.001 * (i + 1), $"#{i}: expected {expected[i]} s, was {seconds[i]} s");
        }
    }

    private static ScriptedOperationClient NoCalls() => new(TimeProvider.System, _ => throw new InvalidOperationException("no call expected"));

    private static Operation Running(int poll, bool done)
    {
        var operation = new Operation { Name = Name, Done = done, Metadata = Any.Pack(new Int64Value { Value = poll }) };
        if (done)
        {
            operation.Response = Any.Pack(new Int64Value { Value = poll });
        }

        return operation;
    }
}
