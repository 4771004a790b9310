using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;
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
    public static IEnumerable<NameCase> Names =>
    [
        new("ascii", "operations/export-0123456789abcdef"),
        new("space-pct-utf8", "operations/my export 100%/ähnlich-名前"),
    ];

    [ParamsSource(nameof(Names))]
    public NameCase Case { get; set; } = null!;

    private string Name => Case.Name;

    [Benchmark(Baseline = true)]
    public string EscapeDataStringPerSegment() =>
        "/v1/" + string.Join('/', Name.Split('/').Select(Uri.EscapeDataString));

    [Benchmark]
    public string FindProblemThenRestRoute() =>
        OperationNameRules.FindProblem(Name) is null ? GetRoute.PathAndQuery(new GetOperationRequest { Name = Name }) : "";

    private static readonly RestRoute GetRoute = RestRoute.For(OperationsReflection.Descriptor.Services[0].FindMethodByName("GetOperation"))!;
}

/// <summary>A name to expand, shown in the results by its label.</summary>
public sealed record NameCase(string Label, string Name)
{
    public override string ToString() => Label;
}
