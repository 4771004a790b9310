using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace VaultGrpc.Benchmarks.Bulk;

/// <summary>
/// One bulk run (10,000 calls, about a second) per invocation, so no unrolling and no pilot; few
/// iterations, as each is long enough to average the machine's noise within itself.
/// </summary>
public sealed class BulkJobConfig : ManualConfig
{
    public BulkJobConfig()
    {
        AddJob(DryRun.Or(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(8)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("Bulk")));
    }
}
