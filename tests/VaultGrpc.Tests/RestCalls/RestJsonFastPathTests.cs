using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>
/// RestJson.Parse skips the JSON tree when every <c>Any</c> type is known; these pin down that the
/// result is the same as the tree walk's wherever an unknown or odd <c>Any</c> hides.
/// </summary>
public sealed class RestJsonFastPathTests
{
    private static readonly JsonParser PlainParser = new(JsonParser.Settings.Default
        .WithIgnoreUnknownFields(true)
        .WithTypeRegistry(KnownTypes.Registry));

    /// <summary>Bodies whose parse through bytes must equal the parse through the rewritten tree.</summary>
    public static TheoryData<string> OperationBodies => new()
    {
        """{"name":"operations/x","done":true,"metadata":{"@type":"type.googleapis.com/google.longrunning.OperationInfo","responseType":"r"}}""",
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/vault.Unknown","a":1}}""",
        """{"name":"operations/x","metadata":{"k":"v"}}""",
        """{"name":"operations/x","metadata":{"@type":"NoSlash","a":1}}""",
        """{"name":"operations/x","metadata":{"@type":5,"a":1}}""",
        """{"name":"operations/x","metadata":{}}""",
        """{"name":"operations/x","metadata":null}""",
        """{"name":"operations/x","response":{"@type":"type.googleapis.com/google.protobuf.Struct","value":{"inner":{"@type":"x.Unknown","b":2}}}}""",
        """{"name":"operations/x","response":{"@type":"type.googleapis.com/google.longrunning.Operation","name":"in","metadata":{"n":1}}}""",
        """{"name":"operations/x","error":{"code":3,"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"R"},{"@type":"type.googleapis.com/deep.Unknown","z":[1,2]}]}}""",
        """{"name":"operations/x","unknownField":{"@type":"type.googleapis.com/not.Known"},"done":false}""",
        """{"name":"operations/x","metadata":{"value":"1s","@type":"type.googleapis.com/google.protobuf.Duration"}}""",
        """{"name":"operations/x","metadata":{"\u0040type":"type.googleapis.com/x.Y","a":2}}""",
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/google.protobuf.Any","value":{"@type":"type.googleapis.com/deep.Unknown","k":"v"}}}""",
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/google.protobuf.Any","value":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"2s"}}}""",
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/google.protobuf.Any","value":{"k":"v"}}}""",
        """{"name":"operations/x","error":{"code":3,"details":[{"reason":"no type"}]}}""",
        """{"name":"operations/first","name":"operations/second","done":true}""",
        """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/google.longrunning.OperationInfo","responseType":"a","responseType":"b"}}""",
        """{"name":"operations/x","response":{"@type":"type.googleapis.com/google.protobuf.Struct","value":{"k":1,"k":2}}}""",
        """{"name":"operations/x","response":{"error":{"details":[]},"@type":"type.googleapis.com/google.longrunning.Operation","name":"type last"}}""",
    };

    /// <summary>Bodies with nothing for the rewriter to do, and bodies with one unknown or untyped Any somewhere.</summary>
    public static TheoryData<string, bool> ScanVerdicts => new()
    {
        { """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/google.longrunning.OperationInfo"}}""", true },
        { """{"name":"operations/x","metadata":{},"response":null,"unknown":{"@type":"x.Unknown"}}""", true },
        { """{"name":"operations/x","response":{"@type":"type.googleapis.com/google.protobuf.Struct","value":{"@type":"x.Unknown"}}}""", true },
        { """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/x.Unknown"}}""", false },
        { """{"name":"operations/x","metadata":{"k":"v"}}""", false },
        { """{"name":"operations/x","error":{"details":[{},{"@type":"type.googleapis.com/x.Unknown"}]}}""", false },
        { """{"name":"operations/x","response":{"@type":"type.googleapis.com/google.longrunning.Operation","metadata":{"n":1}}}""", false },
        { """{"name":"operations/x",}""", false },
    };

    [Theory]
    [MemberData(nameof(OperationBodies))]
    public void Parse_AnyBody_SameAsTreeWalk(string body)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(body);

        object direct = Outcome(() => RestJson.Default.Parse<Operation>(utf8));
        object viaTree = Outcome(() => RestJson.Default.Parse<Operation>(RestJson.ParseTree(utf8)!));

        Assert.Equal(viaTree, direct);
    }

    [Fact]
    public void Parse_RepeatedKeyInMessage_FailsAsTheTreeWalkDoes()
    {
        Assert.Throws<ArgumentException>(() => RestJson.Default.Parse<Operation>("""{"name":"operations/a","name":"operations/b"}"""u8));
    }

    // The parsed message, or the type of the exception (a body both paths refuse must fail the same way).
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

    [Theory]
    [MemberData(nameof(ScanVerdicts))]
    public void NothingToRewrite_Body_TrueOnlyWhenEveryAnyIsKnown(string body, bool expected)
    {
        bool verdict = UnknownAnyScan.NothingToRewrite(Encoding.UTF8.GetBytes(body), Operation.Descriptor, 64, RestJson.Default.Types);

        Assert.Equal(expected, verdict);
    }

    [Fact]
    public void Parse_PageWithUnknownAnyInLastOperation_SameAsTreeWalk()
    {
        string known = """{"name":"operations/k","metadata":{"@type":"type.googleapis.com/google.longrunning.OperationInfo","responseType":"r"}}""";
        string body = "{\"operations\":[" + string.Join(',', Enumerable.Repeat(known, 20))
            + """,{"name":"operations/u","metadata":{"@type":"type.googleapis.com/vault.Unknown","a":1}}],"nextPageToken":"t"}""";
        byte[] utf8 = Encoding.UTF8.GetBytes(body);

        ListOperationsResponse page = RestJson.Default.Parse<ListOperationsResponse>(utf8);

        Assert.Equal(RestJson.Default.Parse<ListOperationsResponse>(RestJson.ParseTree(utf8)!), page);
        Assert.Equal(1, page.Operations[20].Metadata.Unpack<Struct>().Fields["a"].NumberValue);
    }

    [Fact]
    public void Parse_KnownTypesOnly_SameAsJsonParserAlone()
    {
        const string Body = """
            {"name":"operations/x","done":true,
             "metadata":{"@type":"type.googleapis.com/google.longrunning.OperationInfo","responseType":"r","metadataType":"m"},
             "response":{"@type":"type.googleapis.com/google.protobuf.Struct","value":{"id":"e1","n":3}}}
            """;

        Operation operation = RestJson.Default.Parse<Operation>(Encoding.UTF8.GetBytes(Body));

        Assert.Equal(PlainParser.Parse<Operation>(Body), operation);
        Assert.Equal("m", operation.Metadata.Unpack<OperationInfo>().MetadataType);
    }

    [Fact]
    public void Parse_UnknownAnyInErrorDetailsOfOperationInsideListItem_StructPacked()
    {
        const string Body = """
            {"operations":[
              {"name":"operations/1","done":true},
              {"name":"operations/2","response":{"@type":"type.googleapis.com/google.longrunning.Operation","name":"inner",
                "error":{"code":5,"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"R"},{"@type":"type.googleapis.com/vault.Deep","k":"v"}]}}}
            ]}
            """;

        ListOperationsResponse page = RestJson.Default.Parse<ListOperationsResponse>(Encoding.UTF8.GetBytes(Body));

        Google.Rpc.Status error = page.Operations[1].Response.Unpack<Operation>().Error;
        Assert.Equal("R", error.Details[0].Unpack<ErrorInfo>().Reason);
        Struct unknown = error.Details[1].Unpack<Struct>();
        Assert.Equal("type.googleapis.com/vault.Deep", unknown.Fields["@type"].StringValue);
        Assert.Equal("v", unknown.Fields["k"].StringValue);
    }

    [Fact]
    public void Parse_AnyWithoutTypeInsideKnownAny_StructPacked()
    {
        const string Body = """
            {"name":"operations/x","response":{"@type":"type.googleapis.com/google.longrunning.Operation","name":"in","metadata":{"n":1}}}
            """;

        Operation operation = RestJson.Default.Parse<Operation>(Encoding.UTF8.GetBytes(Body));

        Assert.Equal(1, operation.Response.Unpack<Operation>().Metadata.Unpack<Struct>().Fields["n"].NumberValue);
    }

    [Fact]
    public void Parse_TypeUrlWithoutSlashOrNotString_StructPacked()
    {
        Operation noSlash = RestJson.Default.Parse<Operation>("""{"name":"operations/x","metadata":{"@type":"NoSlash","a":1}}"""u8);
        Operation number = RestJson.Default.Parse<Operation>("""{"name":"operations/x","metadata":{"@type":5,"a":1}}"""u8);

        Assert.Equal("NoSlash", noSlash.Metadata.Unpack<Struct>().Fields["@type"].StringValue);
        Assert.Equal(5, number.Metadata.Unpack<Struct>().Fields["@type"].NumberValue);
    }

    [Fact]
    public void Parse_UnknownTypeNameInsideStructValue_KeptAsStructField()
    {
        Operation operation = RestJson.Default.Parse<Operation>(
            """{"name":"operations/x","response":{"@type":"type.googleapis.com/google.protobuf.Struct","value":{"inner":{"@type":"x.Unknown","b":2}}}}"""u8);

        Struct inner = operation.Response.Unpack<Struct>().Fields["inner"].StructValue;
        Assert.Equal("x.Unknown", inner.Fields["@type"].StringValue);
    }

    [Fact]
    public void Parse_NotJson_ThrowsJsonException()
    {
        Assert.ThrowsAny<JsonException>(() => RestJson.Default.Parse<Operation>("""{"name":"operations/x",}"""u8));
    }

    [Fact]
    public void Parse_NestedDeeperThan64InUnknownField_ThrowsJsonException()
    {
        string body = "{\"name\":\"operations/x\",\"deep\":" + new string('[', 70) + new string(']', 70) + "}";

        Assert.ThrowsAny<JsonException>(() => RestJson.Default.Parse<Operation>(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Parse_InvalidUtf8InString_ReplacementCharacter()
    {
        byte[] body = [.. "{\"name\":\"operations/a"u8, 0xFF, .. "b\"}"u8];

        Operation operation = RestJson.Default.Parse<Operation>(body);

        Assert.Equal("operations/a\uFFFDb", operation.Name);
    }
}
