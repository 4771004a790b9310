using VaultGrpc.Benchmarks.Remote;

// The same executable is the fake server of the raw-call classes, started in a child process.
if (args is [RemoteFakeHost.Verb])
{
    return await RemoteFakeHost.RunAsync();
}

if (args is [AllocationSampler.Verb, ..])
{
    return await AllocationSampler.RunAsync(args);
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(RemoteFakeHost).Assembly).Run(args);
return 0;
