using BenchmarkDotNet.Attributes;
using VaultGrpc.Internal.Naming;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// Name checks plus path expansion, per call, against escaping each segment with
/// <see cref="Uri.EscapeDataString(string)"/> (which checks nothing).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickJobConfig))]
public class OperationNameBenchmarks
{
    [Params("operations/export-0123456789abcdef", "operations/my export 100%/ähnlich-名前")]
    public string Name { get; set; } = "";

    [Benchmark(Baseline = true)]
    public string EscapeDataStringPerSegment() =>
        "/v1/" + string.Join('/', Name.Split('/').Select(Uri.EscapeDataString));

    [Benchmark]
    public string FindProblemThenToRestPath() =>
        OperationNameRules.FindProblem(Name) is null ? OperationNameRules.ToRestPath(Name) : "";
}
