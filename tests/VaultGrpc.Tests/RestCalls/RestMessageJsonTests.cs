using System.Net;
using Google.Protobuf.WellKnownTypes;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>
/// REST answers into messages: the parser with the client's registry, and unknown <c>Any</c>s
/// arriving Struct-packed (their JSON kept, <c>@type</c> included) wherever they hide.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RestMessageJsonTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

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
}
