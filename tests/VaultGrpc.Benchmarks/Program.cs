using VaultGrpc.Benchmarks;
using VaultGrpc.Benchmarks.Remote;

// First, before anything rents from ArrayPool.Shared: the pool sized for 256 calls in flight (see SharedArrayPoolSizing).
SharedArrayPoolSizing.Apply();

// The same executable is the fake server of the raw-call classes, started in a child process.
if (args is [RemoteFakeHost.Verb])
{
    return await RemoteFakeHost.RunAsync();
}

if (args is [AllocationSampler.Verb, ..])
{
    return await AllocationSampler.RunAsync(args);
}

if (args is [InterleavedRounds.Verb, ..])
{
    return await InterleavedRounds.RunAsync(args);
}

DryRun.Enabled = args.Contains(DryRun.Argument);
BenchmarkDotNet.Reports.Summary[] summaries = BenchmarkDotNet.Running.BenchmarkSwitcher
    .FromAssembly(typeof(RemoteFakeHost).Assembly)
    .Run(args.Where(a => a != DryRun.Argument).ToArray(), DryRun.Enabled ? DryRun.Config : null)
    .ToArray();

// A case whose setup threw (a check that it measures what it claims) or that did not run fails the run.
bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
return failed ? 1 : 0;
