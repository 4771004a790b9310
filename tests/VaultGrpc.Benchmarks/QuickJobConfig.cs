using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// One short in-process job for every class: the build machine has two shared cores, so a full run
/// must take minutes, not an hour. In-process skips the per-run project build; few iterations keep
/// each case to a few seconds. Judge cases by Ratio and Alloc Ratio within one run, not by absolute times.
/// </summary>
public sealed class QuickJobConfig : ManualConfig
{
    public QuickJobConfig()
    {
        AddJob(DryRun.Or(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(4)
            .WithIterationCount(12)
            .WithIterationTime(TimeInterval.FromMilliseconds(200))
            .WithId("Quick")));
    }
}
