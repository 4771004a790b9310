using System.Net;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.AnyTypes.Protos;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>
/// REST answers into messages: the parser with the client's registry, and unknown <c>Any</c>s
/// arriving Struct-packed (their JSON kept, <c>@type</c> included) wherever they hide.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RestMessageJsonTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static readonly JsonParser PlainParser = new(JsonParser.Settings.Default
        .WithIgnoreUnknownFields(true)
        .WithTypeRegistry(KnownTypes.Registry));

    [Fact]
    public async Task GetOperation_UnknownAnyInMetadataAndResponse_NameDoneAndPayloadAsStruct()
    {
        const string Body = """
            {"name":"operations/x","done":true,"futureField":{"a":1},
             "metadata":{"@type":"type.googleapis.com/google.ediscovery.v1.ExportMetadata","matterId":"m1","stats":{"count":"12"}},
             "response":{"@type":"type.googleapis.com/google.ediscovery.v1.Export","id":"e1"}}
            """;
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.OK, Body));

        Operation operation = await rest.GetAsync("operations/x").WaitAsync(Bound);

        Assert.Equal("operations/x", operation.Name);
        Assert.True(operation.Done);
        Struct metadata = operation.Metadata.Unpack<Struct>();
        Assert.Equal("type.googleapis.com/google.ediscovery.v1.ExportMetadata", metadata.Fields["@type"].StringValue);
        Assert.Equal("m1", metadata.Fields["matterId"].StringValue);
        Assert.Equal("12", metadata.Fields["stats"].StructValue.Fields["count"].StringValue);
        Assert.Equal("e1", operation.Response.Unpack<Struct>().Fields["id"].StringValue);
        Assert.Contains("\"matterId\": \"m1\"", new JsonFormatter(JsonFormatter.Settings.Default.WithTypeRegistry(KnownTypes.Registry)).Format(operation), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KnownTypesOnly_SameAsJsonParserAlone()
    {
        const string Body = """
            {"name":"operations/x","done":true,
             "metadata":{"@type":"type.googleapis.com/google.longrunning.OperationInfo","responseType":"r","metadataType":"m"},
             "response":{"@type":"type.googleapis.com/google.protobuf.Struct","value":{"id":"e1","n":3}}}
            """;

        Operation operation = ParseOperation(Encoding.UTF8.GetBytes(Body));

        Assert.Equal(PlainParser.Parse<Operation>(Body), operation);
        Assert.Equal("m", operation.Metadata.Unpack<OperationInfo>().MetadataType);
    }

    [Fact]
    public void Parse_KnownAndUnknownAnyTypes_KnownUnpackedAsThemselvesUnknownAsStruct()
    {
        const string Json = """
            {"name":"operations/x","done":true,
             "metadata":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"3s"},
             "error":{"code":9,"message":"no","details":[
               {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"R"},
               {"@type":"type.googleapis.com/vault.Unknown","x":true}]}}
            """;

        Operation operation = ParseOperation(Encoding.UTF8.GetBytes(Json));

        Assert.Equal(TimeSpan.FromSeconds(3), operation.Metadata.Unpack<Duration>().ToTimeSpan());
        Assert.Equal(9, operation.Error.Code);
        Assert.Equal("R", operation.Error.Details[0].Unpack<ErrorInfo>().Reason);
        Assert.True(operation.Error.Details[1].Unpack<Struct>().Fields["x"].BoolValue);
    }

    [Fact]
    public void Parse_UnknownAnyInsideKnownAnyInsideList_Rewritten()
    {
        const string Json = """
            {"operations":[
              {"name":"operations/1","metadata":{"@type":"type.googleapis.com/google.protobuf.Any","value":{"@type":"type.googleapis.com/deep.Unknown","k":"v"}}},
              {"name":"operations/2","response":{"@type":"type.googleapis.com/google.longrunning.Operation","name":"inner","metadata":{"@type":"type.googleapis.com/other.Unknown","n":1}}}
            ],"nextPageToken":"t"}
            """;

        var page = (ListOperationsResponse)RestMessageJson.Default.Parse(Encoding.UTF8.GetBytes(Json), ListOperationsResponse.Descriptor);

        Assert.Equal("v", page.Operations[0].Metadata.Unpack<Any>().Unpack<Struct>().Fields["k"].StringValue);
        Operation inner = page.Operations[1].Response.Unpack<Operation>();
        Assert.Equal("inner", inner.Name);
        Assert.Equal(1, inner.Metadata.Unpack<Struct>().Fields["n"].NumberValue);
        Assert.Equal("t", page.NextPageToken);
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

        var page = (ListOperationsResponse)RestMessageJson.Default.Parse(Encoding.UTF8.GetBytes(Body), ListOperationsResponse.Descriptor);

        Google.Rpc.Status error = page.Operations[1].Response.Unpack<Operation>().Error;
        Assert.Equal("R", error.Details[0].Unpack<ErrorInfo>().Reason);
        Struct unknown = error.Details[1].Unpack<Struct>();
        Assert.Equal("type.googleapis.com/vault.Deep", unknown.Fields["@type"].StringValue);
        Assert.Equal("v", unknown.Fields["k"].StringValue);
    }

    [Fact]
    public void Parse_AnyWithoutType_BecomesStruct()
    {
        Operation operation = ParseOperation("""{"name":"operations/x","metadata":{"k":"v"}}"""u8);

        Assert.Equal("v", operation.Metadata.Unpack<Struct>().Fields["k"].StringValue);
    }

    [Fact]
    public void Parse_AnyWithoutTypeInsideKnownAny_StructPacked()
    {
        Operation operation = ParseOperation("""{"name":"operations/x","response":{"@type":"type.googleapis.com/google.longrunning.Operation","name":"in","metadata":{"n":1}}}"""u8);

        Assert.Equal(1, operation.Response.Unpack<Operation>().Metadata.Unpack<Struct>().Fields["n"].NumberValue);
    }

    [Fact]
    public void Parse_TypeUrlWithoutSlashOrNotString_StructPacked()
    {
        Operation noSlash = ParseOperation("""{"name":"operations/x","metadata":{"@type":"NoSlash","a":1}}"""u8);
        Operation number = ParseOperation("""{"name":"operations/x","metadata":{"@type":5,"a":1}}"""u8);

        Assert.Equal("NoSlash", noSlash.Metadata.Unpack<Struct>().Fields["@type"].StringValue);
        Assert.Equal(5, number.Metadata.Unpack<Struct>().Fields["@type"].NumberValue);
    }

    [Fact]
    public void Parse_KnownTypeUnderAnyHost_UnpackedAsItself()
    {
        Operation operation = ParseOperation("""{"name":"operations/x","metadata":{"@type":"example.com/any/path/google.protobuf.Duration","value":"2s"}}"""u8);

        Assert.Equal(TimeSpan.FromSeconds(2), operation.Metadata.Unpack<Duration>().ToTimeSpan());
    }

    [Fact]
    public void Parse_ProtoFieldNamesAndEscapedTypeKey_Accepted()
    {
        Operation operation = ParseOperation("""{"name":"operations/x","metadata":{"\u0040type":"type.googleapis.com/x.Y","a":2}}"""u8);

        Assert.Equal(2, operation.Metadata.Unpack<Struct>().Fields["a"].NumberValue);
    }

    [Fact]
    public void Parse_UnknownTypeNameInsideStructValue_KeptAsStructField()
    {
        Operation operation = ParseOperation(
            """{"name":"operations/x","response":{"@type":"type.googleapis.com/google.protobuf.Struct","value":{"inner":{"@type":"x.Unknown","b":2}}}}"""u8);

        Struct inner = operation.Response.Unpack<Struct>().Fields["inner"].StructValue;
        Assert.Equal("x.Unknown", inner.Fields["@type"].StringValue);
    }

    [Fact]
    public void Parse_CallerTypeWithUnknownAnyInside_TypedOuterStructPackedInner()
    {
        var json = new RestMessageJson(KnownTypes.With([CountArtifactsTestMetadata.Descriptor]));
        byte[] body = Encoding.UTF8.GetBytes(
            """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/vaultgrpc.test.CountArtifactsTestMetadata","totalBytes":"9007199254740993","extra":{"@type":"type.googleapis.com/v.A","n":1}}}""");

        var operation = (Operation)json.Parse(body, Operation.Descriptor);

        CountArtifactsTestMetadata metadata = operation.Metadata.Unpack<CountArtifactsTestMetadata>();
        Assert.Equal(9_007_199_254_740_993, metadata.TotalBytes);
        Assert.Equal(1, metadata.Extra.Unpack<Struct>().Fields["n"].NumberValue);
    }

    [Fact]
    public void Parse_InvalidUtf8InString_ReplacementCharacter()
    {
        byte[] body = [.. "{\"name\":\"operations/a"u8, 0xFF, .. "b\"}"u8];

        Operation operation = ParseOperation(body);

        Assert.Equal("operations/a\uFFFDb", operation.Name);
    }

    [Fact]
    public void Parse_InvalidUtf8InsideUnknownAny_ReplacementCharacters()
    {
        byte[] body = [.. """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A","s":"a"""u8, 0xFF, 0xC3, .. "\"}}"u8];

        Operation operation = ParseOperation(body);

        Assert.Equal("a\uFFFD\uFFFD", operation.Metadata.Unpack<Struct>().Fields["s"].StringValue);
    }

    [Fact]
    public async Task GetOperation_ByteOrderMarkBeforeBodyWithUnknownAny_Parsed()
    {
        var handler = new StubHttpHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. """{"name":"operations/x","metadata":{"@type":"type.googleapis.com/v.A","n":1}}"""u8]),
        }));
        using RestStub rest = RestStub.Over(handler);

        Operation operation = await rest.GetAsync("operations/x").WaitAsync(Bound);

        Assert.Equal("operations/x", operation.Name);
        Assert.Equal(1, operation.Metadata.Unpack<Struct>().Fields["n"].NumberValue);
    }

    [Fact]
    public async Task GetOperation_MetadataWithoutType_PayloadKeptAsStruct()
    {
        // Google.Protobuf's parser alone reads this metadata as an empty Any, without an error.
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.OK, """{"name":"operations/x","done":true,"metadata":{"matterId":"m1"}}"""));

        Operation operation = await rest.GetAsync("operations/x").WaitAsync(Bound);

        Assert.True(operation.Done);
        Assert.Equal("m1", operation.Metadata.Unpack<Struct>().Fields["matterId"].StringValue);
    }

    [Fact]
    public async Task ListOperations_UntypedAnyInsideKnownAnyOfPageItem_PayloadKeptAsStruct()
    {
        using RestStub rest = RestStub.Over(StubHttpHandler.Answering(HttpStatusCode.OK, """
            {"operations":[{"name":"operations/1"},
              {"name":"operations/2","response":{"@type":"type.googleapis.com/google.longrunning.Operation","name":"in","error":{"code":5,"details":[{"reason":"no type"}]}}}]}
            """));

        ListOperationsResponse page = await rest.ListAsync(new ListOperationsRequest { Name = "operations" }).WaitAsync(Bound);

        Google.Rpc.Status error = page.Operations[1].Response.Unpack<Operation>().Error;
        Assert.Equal("no type", Assert.Single(error.Details).Unpack<Struct>().Fields["reason"].StringValue);
    }

    [Fact]
    public void Parse_EmptyAnyObject_EmptyAnyNotStruct()
    {
        Operation operation = ParseOperation("""{"name":"operations/x","metadata":{},"error":{"code":3,"details":[{}]}}"""u8);

        Assert.Equal(new Any(), operation.Metadata);
        Assert.Equal(new Any(), Assert.Single(operation.Error.Details));
    }

    [Fact]
    public void Parse_UntypedAnyInErrorDetailsOfPageItem_StructPacked()
    {
        var page = (ListOperationsResponse)RestMessageJson.Default.Parse(
            """{"operations":[{"name":"operations/1"},{"name":"operations/2","error":{"code":5,"details":[{"reason":"no type"}]}}]}"""u8,
            ListOperationsResponse.Descriptor);

        Assert.Equal("no type", page.Operations[1].Error.Details[0].Unpack<Struct>().Fields["reason"].StringValue);
    }

    [Fact]
    public void Parse_RepeatedKeyAllTypesKnown_LastValueAsTheParserReadsIt()
    {
        // The parser alone decides here (no tree is built), and it keeps the last value.
        Operation operation = ParseOperation("""{"name":"operations/a","name":"operations/b"}"""u8);

        Assert.Equal("operations/b", operation.Name);
    }

    [Fact]
    public void Parse_RepeatedKeyBesideUnknownAny_ArgumentExceptionFromTheTree()
    {
        // The rewrite needs the tree, which refuses a repeated key; the invoker answers Internal.
        Assert.Throws<ArgumentException>(() => ParseOperation(
            """{"name":"operations/a","metadata":{"@type":"type.googleapis.com/x.Y"},"name":"operations/b"}"""u8));
    }

    private static Operation ParseOperation(ReadOnlySpan<byte> body) =>
        (Operation)RestMessageJson.Default.Parse(body, Operation.Descriptor);
}
