using System.Net;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.RestCalls;

public sealed class RestJsonTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

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
    public void Parse_KnownAnyTypes_UnpackedAsThemselves()
    {
        const string Json = """
            {"name":"operations/x","done":true,
             "metadata":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"3s"},
             "error":{"code":9,"message":"no","details":[
               {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"R"},
               {"@type":"type.googleapis.com/vault.Unknown","x":true}]}}
            """;

        Operation operation = RestJson.Default.Parse<Operation>(Encoding.UTF8.GetBytes(Json));

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

        ListOperationsResponse page = RestJson.Default.Parse<ListOperationsResponse>(Encoding.UTF8.GetBytes(Json));

        Assert.Equal("v", page.Operations[0].Metadata.Unpack<Any>().Unpack<Struct>().Fields["k"].StringValue);
        Operation inner = page.Operations[1].Response.Unpack<Operation>();
        Assert.Equal("inner", inner.Name);
        Assert.Equal(1, inner.Metadata.Unpack<Struct>().Fields["n"].NumberValue);
        Assert.Equal("t", page.NextPageToken);
    }

    [Fact]
    public void Parse_AnyWithoutType_BecomesStruct()
    {
        Operation operation = RestJson.Default.Parse<Operation>("""{"name":"operations/x","metadata":{"k":"v"}}"""u8);

        Assert.Equal("v", operation.Metadata.Unpack<Struct>().Fields["k"].StringValue);
    }

    [Fact]
    public void Parse_ProtoFieldNamesAndEscapedTypeKey_Accepted()
    {
        Operation operation = RestJson.Default.Parse<Operation>("""{"name":"operations/x","metadata":{"\u0040type":"type.googleapis.com/x.Y","a":2}}"""u8);

        Assert.Equal(2, operation.Metadata.Unpack<Struct>().Fields["a"].NumberValue);
    }
}
