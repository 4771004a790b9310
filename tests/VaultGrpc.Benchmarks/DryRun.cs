using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// <c>--dry</c> on the command line: every case runs once, untimed (BenchmarkDotNet's Dry job, in
/// process), setups and their checks included, so that CI sees a benchmark that no longer builds,
/// starts or measures what it claims. The job configs ask here which job to add.
/// </summary>
internal static class DryRun
{
    public const string Argument = "--dry";

    /// <summary>Set by Program before the switcher reads the classes' configs.</summary>
    public static bool Enabled { get; set; }

    /// <summary>
    /// The switcher's config for a dry run: a Debug build may run too (CI has built the solution in
    /// Debug; nothing is timed, so there is nothing for optimizations to falsify).
    /// </summary>
    public static IConfig Config => DefaultConfig.Instance.WithOptions(ConfigOptions.DisableOptimizationsValidator);

    /// <summary><paramref name="timed"/>, or the dry job when <see cref="Enabled"/>.</summary>
    public static Job Or(Job timed) =>
        Enabled
            ? Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithInvocationCount(1).WithUnrollFactor(1).WithId("Dry")
            : timed;
}
