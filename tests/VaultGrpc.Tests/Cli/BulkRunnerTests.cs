using System.Collections.Concurrent;
using Grpc.Core;
using VaultGrpc.Cli.Bulk;

namespace VaultGrpc.Tests.Cli;

public sealed class BulkRunnerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_ManyNames_NeverExceedsConcurrencyAndCallsEachOnce()
    {
        var gateway = new InMemoryClient { OnCall = async _ => { await Task.Delay(1); return InMemoryClient.ServedByGrpc; } };
        string[] names = Enumerable.Range(0, 200).Select(i => $"operations/{i}").ToArray();
        var outcomes = new ConcurrentBag<CallOutcome>();

        BulkSummary summary = await BulkRunner.RunAsync(names, n => gateway.CancelAsync(n, null, default), 4, outcomes.Add, CancellationToken.None).WaitAsync(Timeout);

        Assert.InRange(gateway.MaxInFlight, 1, 4);
        Assert.All(names, n => Assert.Equal(1, gateway.Calls[n]));
        Assert.Equal(names.Order(), outcomes.Select(o => o.Name).Order());
        Assert.Equal(new BulkSummary(200, 0, 0, summary.Elapsed), summary);
    }

    [Fact]
    public async Task RunAsync_SomeCallsFail_OthersStillRunAndFailuresAreClassified()
    {
        var gateway = new InMemoryClient
        {
            OnCall = name => name switch
            {
                "operations/missing" => throw new RpcException(new Status(StatusCode.NotFound, "no such operation")),
                "operations/broken" => Task.FromException<VaultCallInfo>(new InvalidOperationException("boom")),
                _ => Task.FromResult(InMemoryClient.ServedByGrpc),
            },
        };
        string[] names = ["operations/missing", "operations/a", "operations/broken", "operations/b"];
        var outcomes = new ConcurrentDictionary<string, CallOutcome>();

        BulkSummary summary = await BulkRunner.RunAsync(names, n => gateway.CancelAsync(n, null, default), 1, o => outcomes[o.Name] = o, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(2, summary.Succeeded);
        Assert.Equal(2, summary.Failed);
        Assert.Equal(1, summary.ExitCode);
        Assert.Equal(("NOT_FOUND", "no such operation"), (outcomes["operations/missing"].ErrorCode, outcomes["operations/missing"].ErrorMessage));
        Assert.Equal("UNKNOWN", outcomes["operations/broken"].ErrorCode);
        Assert.True(outcomes["operations/a"].Ok);
        Assert.True(outcomes["operations/b"].Ok);
    }

    [Fact]
    public async Task RunAsync_StoppedWhileCallsInFlight_FinishesThoseAndIssuesNoMore()
    {
        var release = new TaskCompletionSource<VaultCallInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        var twoStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int started = 0;
        var gateway = new InMemoryClient
        {
            OnCall = _ =>
            {
                if (Interlocked.Increment(ref started) == 2)
                {
                    twoStarted.SetResult();
                }

                return release.Task;
            },
        };
        string[] names = Enumerable.Range(0, 10).Select(i => $"operations/{i}").ToArray();
        using var stop = new CancellationTokenSource();
        var outcomes = new ConcurrentBag<CallOutcome>();

        Task<BulkSummary> run = BulkRunner.RunAsync(names, n => gateway.CancelAsync(n, null, default), 2, outcomes.Add, stop.Token);
        await twoStarted.Task.WaitAsync(Timeout);
        await stop.CancelAsync();
        release.SetResult(InMemoryClient.ServedByGrpc);
        BulkSummary summary = await run.WaitAsync(Timeout);

        Assert.Equal(2, gateway.TotalCalls);
        Assert.Equal(2, outcomes.Count);
        Assert.Equal(8, summary.NotSent);
        Assert.Equal(1, summary.ExitCode);
    }
}
