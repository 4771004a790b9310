using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.AnyTypes.Protos;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>
/// 64-bit integers sent by a REST server as JSON numbers (not the strings proto3 JSON writes) reach
/// the caller exactly, or the call fails loudly; never a value rounded through a double.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RestInt64ExactnessTests(RawOperationServer raw) : IClassFixture<RawOperationServer>
{
    private const string MetadataType = "type.googleapis.com/vaultgrpc.test.CountArtifactsTestMetadata";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>The JSON number as sent for the int64 field total_bytes, and the value that must arrive.</summary>
    public static TheoryData<string, long> ExactTotals => new()
    {
        { "9007199254740993", 9_007_199_254_740_993 },            // 2^53 + 1: the first integer a double cannot hold
        { "9223372036854775807", long.MaxValue },                   // failed as out of range through a double
        { "-9223372036854775808", long.MinValue },
        { "-9007199254740993", -9_007_199_254_740_993 },
        { "1e3", 1000 },                                            // proto3 JSON accepts exponent notation
        { "9.007199254740993e15", 9_007_199_254_740_993 },          // exponent notation beyond 2^53
        { "1234567890123456789.0", 1_234_567_890_123_456_789 },     // a zero fraction is an integer
        { "0", 0 },
    };

    /// <summary>Numbers no int64 field can take: the call must fail, not round.</summary>
    public static TheoryData<string> InvalidTotals => new()
    {
        "1.5",
        "9223372036854775808",                // long.MaxValue + 1
        "-9223372036854775809",               // long.MinValue - 1
        "18446744073709551616",               // 2^64
        "1e19",
        "1.0000000000000000001",              // a double reads it as 1
        "9007199254740993.5",                 // a double reads it as 9007199254740994
    };

    [Theory]
    [MemberData(nameof(ExactTotals))]
    public async Task GetAsync_Int64AsJsonNumberInKnownMetadata_Exact(string number, long expected)
    {
        string name = raw.Serve(OperationWithMetadata($$"""{"@type":"{{MetadataType}}","totalBytes":{{number}}}"""));
        await using VaultOperationsClient client = CreateClient(withAnyTypes: true);

        Operation operation = (await client.GetAsync(name).WaitAsync(Bound)).Value;

        Assert.Equal(expected, operation.Metadata.Unpack<CountArtifactsTestMetadata>().TotalBytes);
    }

    [Theory]
    [MemberData(nameof(InvalidTotals))]
    public async Task GetAsync_Int64FieldGivenANumberNoInt64Holds_InternalNotARoundedValue(string number)
    {
        string name = raw.Serve(OperationWithMetadata($$"""{"@type":"{{MetadataType}}","totalBytes":{{number}}}"""));
        await using VaultOperationsClient client = CreateClient(withAnyTypes: true);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(name).WaitAsync(Bound));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("not a Operation in JSON", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_RepeatedAndMapInt64AsNumbers_EveryValueExact()
    {
        string name = raw.Serve($$"""
            {"name":"x","done":true,
             "metadata":{"@type":"{{MetadataType}}","counts":[9007199254740993,1,-9223372036854775808]},
             "response":{"@type":"type.googleapis.com/vaultgrpc.test.CountArtifactsTestResponse","totalCount":9223372036854775807,
                         "countByAccount":{"a@example.com":9007199254740995} } }
            """);
        await using VaultOperationsClient client = CreateClient(withAnyTypes: true);

        Operation operation = (await client.GetAsync(name).WaitAsync(Bound)).Value;

        Assert.Equal([9_007_199_254_740_993, 1, long.MinValue], operation.Metadata.Unpack<CountArtifactsTestMetadata>().Counts);
        CountArtifactsTestResponse response = operation.Response.Unpack<CountArtifactsTestResponse>();
        Assert.Equal(long.MaxValue, response.TotalCount);
        Assert.Equal(9_007_199_254_740_995, response.CountByAccount["a@example.com"]);
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("9007199254740993")]
    [InlineData("1.5")]
    public async Task GetAsync_Int32FieldGivenANumberOutOfItsRange_Internal(string number)
    {
        string name = raw.Serve(OperationWithMetadata($$$"""{"@type":"{{{MetadataType}}}","requester":{"level":{{{number}}}}}"""));
        await using VaultOperationsClient client = CreateClient(withAnyTypes: true);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(name).WaitAsync(Bound));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public async Task GetAsync_WellKnownInt64AndUInt64WrappersAsNumbers_ExactWithoutAnyTypes()
    {
        string int64 = raw.Serve(OperationWithMetadata("""{"@type":"type.googleapis.com/google.protobuf.Int64Value","value":-9223372036854775808}"""));
        string uint64 = raw.Serve(OperationWithMetadata("""{"@type":"type.googleapis.com/google.protobuf.UInt64Value","value":18446744073709551615}"""));
        await using VaultOperationsClient client = CreateClient(withAnyTypes: false);

        Operation signed = (await client.GetAsync(int64).WaitAsync(Bound)).Value;
        Operation unsigned = (await client.GetAsync(uint64).WaitAsync(Bound)).Value;

        Assert.Equal(long.MinValue, signed.Metadata.Unpack<Int64Value>().Value);
        Assert.Equal(ulong.MaxValue, unsigned.Metadata.Unpack<UInt64Value>().Value);
    }

    [Fact]
    public async Task GetAsync_UnknownAnyWithLargeNumbers_DigitsKeptExactlyAndSmallNumbersStayNumbers()
    {
        string name = raw.Serve(OperationWithMetadata(
            """{"@type":"type.googleapis.com/vault.NotKnown","big":9007199254740993,"min":-9223372036854775808,"small":3,"half":0.5,"huge":1e300}"""));
        await using VaultOperationsClient client = CreateClient(withAnyTypes: false);

        Struct metadata = (await client.GetAsync(name).WaitAsync(Bound)).Value.Metadata.Unpack<Struct>();

        // A Struct has no integers: the digits a double would change travel as text, as proto3 JSON writes int64.
        Assert.Equal("9007199254740993", metadata.Fields["big"].StringValue);
        Assert.Equal("-9223372036854775808", metadata.Fields["min"].StringValue);
        Assert.Equal(3, metadata.Fields["small"].NumberValue);
        Assert.Equal(0.5, metadata.Fields["half"].NumberValue);
        Assert.Equal(1e300, metadata.Fields["huge"].NumberValue);
    }

    [Fact]
    public async Task ListPageAsync_PageWithInt64NumbersInEveryOperation_ExactInEach()
    {
        // ListOperations goes to /v1/operations: answered by a server of its own.
        await using RecordingRestServer server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, _) =>
            RecordingRestServer.WriteJsonAsync(context, $$"""
                {"operations":[
                  {"name":"operations/1","metadata":{"@type":"{{MetadataType}}","totalBytes":9007199254740993} },
                  {"name":"operations/2","metadata":{"@type":"type.googleapis.com/google.protobuf.Int64Value","value":9223372036854775807} }],
                 "nextPageToken":"next"}
                """));
        await using VaultOperationsClient client = CreateClient(withAnyTypes: true, server.BaseAddress);

        ListOperationsResponse page = (await client.ListPageAsync(pageSize: 2).WaitAsync(Bound)).Value;

        Assert.Equal(9_007_199_254_740_993, page.Operations[0].Metadata.Unpack<CountArtifactsTestMetadata>().TotalBytes);
        Assert.Equal(long.MaxValue, page.Operations[1].Metadata.Unpack<Int64Value>().Value);
        Assert.Equal("next", page.NextPageToken);
        Assert.Contains("pageSize=2", server.Requests.Single().RawTarget, StringComparison.Ordinal);
    }

    private static string OperationWithMetadata(string metadata) => """{"name":"x","done":false,"metadata":""" + metadata + "}";

    private VaultOperationsClient CreateClient(bool withAnyTypes, Uri? endpoint = null)
    {
        VaultOperationsClientOptions options = raw.RestOnlyOptions();
        options.Endpoint = endpoint ?? options.Endpoint;
        if (withAnyTypes)
        {
            options.AnyTypes.Add(CountArtifactsTestMetadata.Descriptor);
        }

        return VaultOperationsClient.Create(options);
    }
}
