using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// The job of the raw-call classes (the fake in another process, real sockets): each invocation makes
/// 256 calls, so no unrolling; 12 iterations of 400 ms keep a case to about 8 s and the four classes
/// (40 cases) to about 6 minutes on two cores.
/// </summary>
public sealed class RemoteServerJobConfig : ManualConfig
{
    public RemoteServerJobConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(5)
            .WithIterationCount(12)
            .WithIterationTime(TimeInterval.FromMilliseconds(400))
            .WithUnrollFactor(1)
            .WithId("Remote"));
    }
}
