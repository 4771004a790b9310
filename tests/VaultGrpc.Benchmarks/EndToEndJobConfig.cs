using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// The in-process job for calls through the facade and the in-memory fake: each call takes tens of
/// microseconds and touches the thread pool, so iterations are longer and more numerous than
/// <see cref="QuickJobConfig"/>'s to average the noise of two shared cores (about 10 s per case).
/// </summary>
public sealed class EndToEndJobConfig : ManualConfig
{
    public EndToEndJobConfig()
    {
        AddJob(DryRun.Or(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(6)
            .WithIterationCount(15)
            .WithIterationTime(TimeInterval.FromMilliseconds(400))
            .WithId("EndToEnd")));
    }
}
