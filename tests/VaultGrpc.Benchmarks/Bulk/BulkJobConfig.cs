using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace VaultGrpc.Benchmarks.Bulk;

/// <summary>
/// One bulk run (10,000 calls, 0.2-0.5 s) per invocation, so no unrolling and no pilot; 15
/// iterations, as single runs on two shared cores vary by 2x.
/// </summary>
public sealed class BulkJobConfig : ManualConfig
{
    public BulkJobConfig()
    {
        AddJob(DryRun.Or(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(4)
            .WithIterationCount(15)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("Bulk")));
    }
}
