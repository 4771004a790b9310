using System.Text;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// What the REST side pays to turn a response body into a message (RestMessageJson: the parser
/// first, the unknown-Any rewrite only when it refuses), against Google.Protobuf's JsonParser alone
/// (same settings and registry) on the same known-type Operation body.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickJobConfig))]
public class RestJsonParsingBenchmarks
{
    private static readonly JsonParser PlainParser = new(JsonParser.Settings.Default
        .WithIgnoreUnknownFields(true)
        .WithTypeRegistry(KnownTypes.Registry));

    private readonly byte[] _known = Encoding.UTF8.GetBytes(RestJsonBodies.KnownOperation(1));
    private readonly byte[] _unknownAny = Encoding.UTF8.GetBytes(RestJsonBodies.UnknownAnyOperation(1));
    private readonly byte[] _page = Encoding.UTF8.GetBytes(RestJsonBodies.KnownPage(100));
    private readonly byte[] _unknownAnyPage = Encoding.UTF8.GetBytes(RestJsonBodies.UnknownAnyPage(100));

    /// <summary>The floor: decode the bytes and parse, nothing else (unknown Anys would fail here).</summary>
    [Benchmark(Baseline = true)]
    public Operation JsonParser_KnownTypes() => PlainParser.Parse<Operation>(Encoding.UTF8.GetString(_known));

    [Benchmark]
    public IMessage RestMessageJson_KnownTypes() => RestMessageJson.Default.Parse(_known, Operation.Descriptor);

    [Benchmark]
    public IMessage RestMessageJson_UnknownAny() => RestMessageJson.Default.Parse(_unknownAny, Operation.Descriptor);

    /// <summary>One hundred operations: about a hundred times the work of one.</summary>
    [Benchmark]
    public IMessage RestMessageJson_PageOf100() => RestMessageJson.Default.Parse(_page, ListOperationsResponse.Descriptor);

    /// <summary>One hundred operations, each with metadata of a type the client does not know.</summary>
    [Benchmark]
    public IMessage RestMessageJson_UnknownAnyPageOf100() => RestMessageJson.Default.Parse(_unknownAnyPage, ListOperationsResponse.Descriptor);
}
