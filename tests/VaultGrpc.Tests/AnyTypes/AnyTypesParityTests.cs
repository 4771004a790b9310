using Google.Protobuf.WellKnownTypes;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;
using VaultGrpc.Tests.AnyTypes.Protos;

namespace VaultGrpc.Tests.AnyTypes;

/// <summary>
/// The same seeded operation, read over gRPC and over REST from the real fake: with the caller's
/// types in <see cref="VaultOperationsClientOptions.AnyTypes"/>, both transports give equal operations.
/// </summary>
public sealed class AnyTypesParityTests
{
    private const string Name = "operations/count-1";

    // 2^53 + 1: the first integer a double cannot hold.
    private const long BeyondDouble = 9_007_199_254_740_993;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static CountArtifactsTestMetadata Metadata => new()
    {
        MatterId = "matter-7",
        TotalBytes = BeyondDouble,
        Accounts = { "a@example.com", "b@example.com" },
        Requester = new Requester { Email = "lead@example.com", Level = 3 },
        State = ArtifactState.Counting,
        Counts = { 1, long.MaxValue, -5 },
    };

    private static CountArtifactsTestResponse Response => new()
    {
        TotalCount = BeyondDouble,
        CountByAccount = { ["a@example.com"] = 10, ["b@example.com"] = long.MinValue },
        Requester = new Requester { Email = "lead@example.com" },
    };

    [Fact]
    public async Task GetAsync_VaultTypesListedInAnyTypes_RestEqualsGrpc()
    {
        await using FakeOperationsServer fake = await StartFakeAsync().WaitAsync(Bound);
        fake.Store.AddDone(Name, Response, Metadata);
        await using VaultOperationsClient grpc = CreateClient(fake, TransportMode.GrpcOnly);
        await using VaultOperationsClient rest = CreateClient(fake, TransportMode.RestOnly, withAnyTypes: true);

        VaultResponse<Operation> overGrpc = await grpc.GetAsync(Name).WaitAsync(Bound);
        VaultResponse<Operation> overRest = await rest.GetAsync(Name).WaitAsync(Bound);

        Assert.Equal(Transport.Grpc, overGrpc.Call.Transport);
        Assert.Equal(Transport.Rest, overRest.Call.Transport);
        Assert.Equal(overGrpc.Value, overRest.Value);
        Assert.Equal(Metadata, overRest.Value.Metadata.Unpack<CountArtifactsTestMetadata>());
        Assert.Equal(Response, overRest.Value.Response.Unpack<CountArtifactsTestResponse>());
        Assert.Equal(Metadata, overGrpc.Value.Metadata.Unpack<CountArtifactsTestMetadata>());
    }

    [Fact]
    public async Task ListAsync_VaultTypesListedInAnyTypes_RestPageEqualsGrpcPage()
    {
        await using FakeOperationsServer fake = await StartFakeAsync().WaitAsync(Bound);
        fake.Store.AddDone(Name, Response, Metadata);
        fake.Store.AddRunning("operations/count-2", Metadata);
        await using VaultOperationsClient grpc = CreateClient(fake, TransportMode.GrpcOnly);
        await using VaultOperationsClient rest = CreateClient(fake, TransportMode.RestOnly, withAnyTypes: true);

        VaultResponse<ListOperationsResponse> overGrpc = await grpc.ListPageAsync().WaitAsync(Bound);
        VaultResponse<ListOperationsResponse> overRest = await rest.ListPageAsync().WaitAsync(Bound);

        Assert.Equal(2, overRest.Value.Operations.Count);
        Assert.Equal(overGrpc.Value, overRest.Value);
    }

    [Fact]
    public async Task GetAsync_FailedOperationWithVaultTypeInErrorDetails_RestEqualsGrpc()
    {
        await using FakeOperationsServer fake = await StartFakeAsync().WaitAsync(Bound);
        var error = new Google.Rpc.Status { Code = 9, Message = "matter closed", Details = { Any.Pack(Metadata.Requester) } };
        fake.Store.AddFailed(Name, error, Metadata);
        await using VaultOperationsClient grpc = CreateClient(fake, TransportMode.GrpcOnly);
        await using VaultOperationsClient rest = CreateClient(fake, TransportMode.RestOnly, withAnyTypes: true);

        Operation overGrpc = (await grpc.GetAsync(Name).WaitAsync(Bound)).Value;
        Operation overRest = (await rest.GetAsync(Name).WaitAsync(Bound)).Value;

        Assert.Equal(overGrpc, overRest);
        Assert.Equal("lead@example.com", overRest.Error.Details[0].Unpack<Requester>().Email);
    }

    [Fact]
    public async Task GetAsync_Int64Beyond2Pow53_ExactWithAnyTypesAndTextOnlyThroughStruct()
    {
        await using FakeOperationsServer fake = await StartFakeAsync().WaitAsync(Bound);
        fake.Store.AddDone(Name, Response, Metadata);
        await using VaultOperationsClient typed = CreateClient(fake, TransportMode.RestOnly, withAnyTypes: true);
        await using VaultOperationsClient untyped = CreateClient(fake, TransportMode.RestOnly);

        Operation withTypes = (await typed.GetAsync(Name).WaitAsync(Bound)).Value;
        Operation withoutTypes = (await untyped.GetAsync(Name).WaitAsync(Bound)).Value;

        Assert.Equal(BeyondDouble, withTypes.Metadata.Unpack<CountArtifactsTestMetadata>().TotalBytes);
        Assert.Equal(BeyondDouble, withTypes.Response.Unpack<CountArtifactsTestResponse>().TotalCount);

        // proto3 JSON writes int64 as a string: a Struct keeps the digits as text, not as a number.
        Value totalBytes = withoutTypes.Metadata.Unpack<Struct>().Fields["totalBytes"];
        Assert.Equal(Value.KindOneofCase.StringValue, totalBytes.KindCase);
        Assert.Equal("9007199254740993", totalBytes.StringValue);
    }

    [Fact]
    public async Task GetAsync_WithoutAnyTypes_RestStructPackedAndReadable()
    {
        await using FakeOperationsServer fake = await StartFakeAsync().WaitAsync(Bound);
        fake.Store.AddDone(Name, Response, Metadata);
        await using VaultOperationsClient grpc = CreateClient(fake, TransportMode.GrpcOnly);
        await using VaultOperationsClient rest = CreateClient(fake, TransportMode.RestOnly);

        Operation overGrpc = (await grpc.GetAsync(Name).WaitAsync(Bound)).Value;
        Operation overRest = (await rest.GetAsync(Name).WaitAsync(Bound)).Value;

        Assert.NotEqual(overGrpc, overRest);
        Assert.True(overRest.Metadata.Is(Struct.Descriptor));
        Struct metadata = overRest.Metadata.Unpack<Struct>();
        Assert.Equal("type.googleapis.com/vaultgrpc.test.CountArtifactsTestMetadata", metadata.Fields["@type"].StringValue);
        Assert.Equal("matter-7", metadata.Fields["matterId"].StringValue);
        Assert.Equal("ARTIFACT_STATE_COUNTING", metadata.Fields["state"].StringValue);
        Assert.Equal(3, metadata.Fields["requester"].StructValue.Fields["level"].NumberValue);
        Assert.Equal(2, metadata.Fields["accounts"].ListValue.Values.Count);
        Assert.True(overRest.Response.Is(Struct.Descriptor));
    }

    [Fact]
    public async Task GetAsync_OnlyMetadataTypeListed_ResponseTypeFromSameFileKnownToo()
    {
        await using FakeOperationsServer fake = await StartFakeAsync().WaitAsync(Bound);
        fake.Store.AddDone(Name, Response, Metadata);
        VaultOperationsClientOptions options = fake.CreateClientOptions();
        options.TransportMode = TransportMode.RestOnly;
        options.AnyTypes.Add(CountArtifactsTestMetadata.Descriptor);
        await using VaultOperationsClient rest = VaultOperationsClient.Create(options);

        Operation operation = (await rest.GetAsync(Name).WaitAsync(Bound)).Value;

        Assert.Equal(Response, operation.Response.Unpack<CountArtifactsTestResponse>());
    }

    private static Task<FakeOperationsServer> StartFakeAsync() =>
        FakeOperationsServer.StartAsync(o =>
        {
            o.AnyTypes.Add(CountArtifactsTestMetadata.Descriptor);
            o.AnyTypes.Add(CountArtifactsTestResponse.Descriptor);
        });

    private static VaultOperationsClient CreateClient(FakeOperationsServer fake, TransportMode mode, bool withAnyTypes = false)
    {
        VaultOperationsClientOptions options = fake.CreateClientOptions();
        options.TransportMode = mode;
        if (withAnyTypes)
        {
            options.AnyTypes.Add(CountArtifactsTestMetadata.Descriptor);
            options.AnyTypes.Add(CountArtifactsTestResponse.Descriptor);
        }

        return VaultOperationsClient.Create(options);
    }
}
