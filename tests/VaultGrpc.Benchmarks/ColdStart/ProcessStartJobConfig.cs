using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace VaultGrpc.Benchmarks.ColdStart;

/// <summary>
/// One process start per invocation (100-500 ms each), so no unrolling and no pilot; a few warm-ups
/// put the files in the page cache, as on a machine where the tool has run before.
/// </summary>
public sealed class ProcessStartJobConfig : ManualConfig
{
    public ProcessStartJobConfig()
    {
        AddJob(DryRun.Or(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("ProcessStart")));
    }
}
