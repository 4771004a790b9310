using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// The job of the raw-call classes (the fake in another process, real sockets): each invocation makes
/// 256 calls, so no unrolling, and a fixed 16 invocations per iteration (4,096 calls: 50-600 ms) instead
/// of a pilot stage, which on two shared cores picked iterations far shorter than asked. About 5 s per
/// case, the four classes (40 cases) in about 4 minutes.
/// </summary>
public sealed class RemoteServerJobConfig : ManualConfig
{
    public RemoteServerJobConfig()
    {
        AddJob(DryRun.Or(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(4)
            .WithIterationCount(15)
            .WithInvocationCount(16)
            .WithUnrollFactor(1)
            .WithId("Remote")));
    }
}
