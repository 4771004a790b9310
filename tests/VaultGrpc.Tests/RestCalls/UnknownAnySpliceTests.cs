using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.AnyTypes.Protos;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>
/// Unknown <c>Any</c>s are wrapped by splicing the body's bytes rather than through a JSON tree; these
/// pin down that the outcome (message or exception type) is the tree walk's, and when the scan sends
/// a body to the tree walk instead.
/// </summary>
public sealed class UnknownAnySpliceTests
{
    private static readonly RestJson WithCallerTypes = RestJson.For([CountArtifactsTestMetadata.Descriptor]);

    /// <summary>Bodies with unknown Anys in many places and shapes; some the scan sends to the tree walk.</summary>
    public static TheoryData<string> Bodies => new()
    {
        // Several unknown Anys: metadata, response, and an error detail next to a known one.
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A","n":1},"response":{"@type":"type.googleapis.com/v.B","s":"t"}}""",
        """{"name":"operations/x","error":{"code":3,"details":[{"@type":"type.googleapis.com/v.A","z":[1,2,{"q":null}]},{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"R"},{"@type":"type.googleapis.com/v.C"}]}}""",
        // White space, escapes and non-ASCII in values, numbers in every form, type last.
        "{ \"name\" : \"operations/x\" ,\n \"metadata\" :\t{ \"a\" : \"\\u00e9\\n\\\"q\\\" é 😀\", \"b\": -1.5e+3, \"c\": 1E400, \"d\": [ true, false, null ], \"@type\" : \"type.googleapis.com/v.A\" } }",
        // Keys the tree walk would treat specially, inside the unknown payload: repeated, escaped, many.
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A","inner":{"k":1,"k":2}}}""",
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A","inner":[{"\u006b":1}]}}""",
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A","a":1,"a":2}}""",
        "{\"name\":\"operations/x\",\"metadata\":{\"@type\":\"type.googleapis.com/v.A\",\"wide\":{" + string.Join(',', Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{i}")) + "}}}",
        // @type that is not a string, or absent.
        """{"name":"operations/x","metadata":{"@type":null,"a":1}}""",
        """{"name":"operations/x","metadata":{"@type":{"x":1},"a":1}}""",
        """{"name":"operations/x","metadata":{"@type":["type.googleapis.com/v.A"]}}""",
        """{"name":"operations/x","metadata":{"a":{"@type":"type.googleapis.com/v.A"}}}""",
        // An unknown Any inside known Anys, with properties around it.
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/google.protobuf.Any","value":{"@type":"type.googleapis.com/v.A","k":"v"}},"response":{"@type":"type.googleapis.com/google.longrunning.Operation","name":"in","metadata":{"@type":"type.googleapis.com/v.B"},"done":true}}""",
        // Unknown Anys in a page of operations.
        """{"operations":[{"name":"operations/1","metadata":{"@type":"type.googleapis.com/v.A"}},{"name":"operations/2","metadata":{"@type":"type.googleapis.com/v.A","n":2}}],"nextPageToken":"t"}""",
        // Bodies the parser refuses after the wrap, or that are not JSON.
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A"},"done":"not a bool"}""",
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A"},"done":true} trailing""",
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A",}}""",
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A"},"metadata":{"@type":"type.googleapis.com/v.B"}}""",
        """{"name":"operations/x","response":{"@type":"type.googleapis.com/google.protobuf.Duration","value":{"@type":"type.googleapis.com/v.A"}}}""",
        // The caller's type with unknown Anys inside it (known only to the client with caller types).
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/vaultgrpc.test.CountArtifactsTestMetadata","matterId":"m","totalBytes":"9007199254740993","extra":{"@type":"type.googleapis.com/v.A","n":1},"extrasByKey":{"a":{"@type":"type.googleapis.com/v.B"},"b":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1s"}}}}""",
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/vaultgrpc.test.CountArtifactsTestMetadata","extras_by_key":{"a":{"@type":"type.googleapis.com/v.B"},"a":{}}}}""",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Parse_Body_SameAsTreeWalk(string body)
    {
        AssertSameAsTreeWalk(RestJson.Default, Encoding.UTF8.GetBytes(body));
        AssertSameAsTreeWalk(WithCallerTypes, Encoding.UTF8.GetBytes(body));
    }

    [Fact]
    public void Parse_InvalidUtf8InsideUnknownAny_SameAsTreeWalk()
    {
        byte[] body = [.. """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A","s":"a"""u8, 0xFF, 0xC3, .. "\"}}"u8];

        Operation operation = AssertSameAsTreeWalk(RestJson.Default, body)!;

        Assert.Equal("a\uFFFD\uFFFD", operation.Metadata.Unpack<Struct>().Fields["s"].StringValue);
    }

    [Fact]
    public void Parse_ByteOrderMarkBeforeBodyWithUnknownAny_SameAsTreeWalk()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A"}}"""u8];

        AssertSameAsTreeWalk(RestJson.Default, body);
    }

    [Fact]
    public void Parse_CallerTypeWithUnknownAnyInside_TypedOuterStructPackedInner()
    {
        byte[] body = Encoding.UTF8.GetBytes(
            """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/vaultgrpc.test.CountArtifactsTestMetadata","totalBytes":"9007199254740993","extra":{"@type":"type.googleapis.com/v.A","n":1}}}""");

        Operation operation = WithCallerTypes.Parse<Operation>(body);

        CountArtifactsTestMetadata metadata = operation.Metadata.Unpack<CountArtifactsTestMetadata>();
        Assert.Equal(9_007_199_254_740_993, metadata.TotalBytes);
        Assert.Equal(1, metadata.Extra.Unpack<Struct>().Fields["n"].NumberValue);
    }

    /// <summary>Bodies and how many Any ranges the scan finds; -1 when it sends the body to the tree walk.</summary>
    public static TheoryData<string, int> Verdicts => new()
    {
        { """{"name":"operations/x"}""", 0 },
        { """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A"},"response":{"n":1}}""", 2 },
        { """{"name":"operations/x","error":{"details":[{"@type":"x/v.A"},{},{"@type":"x/v.B"},null]}}""", 2 },
        { """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A","inner":{"k":1,"k":2}}}""", -1 },
        { """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A","\u0061":1}}""", -1 },
        { """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A"}""", -1 },
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void TryFindUnknownAnys_Body_FindsEveryRangeOrSendsToTree(string body, int expected)
    {
        bool readable = UnknownAnyScan.TryFindUnknownAnys(Encoding.UTF8.GetBytes(body), Operation.Descriptor, 64, RestJson.Default.Types, out List<Range>? found);

        Assert.Equal(expected, readable ? found?.Count ?? 0 : -1);
    }

    [Fact]
    public void Wrap_TwoRanges_WrapsEachObjectAndKeepsEverythingElse()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"a":{"x":1},"b":[{"y":"é"}]}""");

        string wrapped = UnknownAnySplice.Wrap(body, [new Range(5, 12), new Range(18, 28)]);

        const string Struct = """{"@type":"type.googleapis.com/google.protobuf.Struct","value":""";
        Assert.Equal("{\"a\":" + Struct + "{\"x\":1}},\"b\":[" + Struct + "{\"y\":\"é\"}}]}", wrapped);
    }

    // Parses through the bytes (scan and splice) and through the rewritten tree; both must give the
    // same message, or fail with the same exception type. Returns the message, if any.
    private static Operation? AssertSameAsTreeWalk(RestJson json, byte[] body)
    {
        object direct = Outcome(() => json.Parse<Operation>(body));
        object viaTree = Outcome(() => json.Parse<Operation>(TreeOf(body)));

        Assert.Equal(viaTree, direct);

        // Parse would hide a bad splice by falling back to the tree walk: check the splice alone too.
        if (UnknownAnyScan.TryFindUnknownAnys(body, Operation.Descriptor, 64, json.Types, out List<Range>? found)
            && found is not null
            && viaTree is Operation expected)
        {
            var parser = new JsonParser(JsonParser.Settings.Default.WithIgnoreUnknownFields(true).WithTypeRegistry(json.Types.Registry));
            Assert.Equal(expected, parser.Parse<Operation>(UnknownAnySplice.Wrap(body, found)));
        }

        return direct as Operation;
    }

    // The tree path as RestJson takes it: the body decoded to text, then parsed into a tree.
    private static System.Text.Json.Nodes.JsonNode TreeOf(byte[] body) =>
        System.Text.Json.Nodes.JsonNode.Parse(Encoding.UTF8.GetString(body), new() { PropertyNameCaseInsensitive = false }, new() { MaxDepth = 64 })
        ?? throw new InvalidOperationException("The body is JSON null.");

    private static object Outcome(Func<Operation> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception ex)
        {
            return ex.GetType();
        }
    }
}
