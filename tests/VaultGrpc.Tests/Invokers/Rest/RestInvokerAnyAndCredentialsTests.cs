using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;
using VaultGrpc.Tests.AnyTypes.Protos;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

namespace VaultGrpc.Tests.Invokers.Rest;

/// <summary>Unknown Any types, credentials and metadata on a <see cref="RestCallInvoker"/>, against the fake over sockets.</summary>
public sealed class RestInvokerAnyAndCredentialsTests
{
    private static readonly CountArtifactsTestMetadata Metadata = new() { MatterId = "m-1", TotalBytes = 9_007_199_254_740_993, Accounts = { "a@example.com" } };

    private static RestCallInvoker InvokerFor(FakeOperationsServer fake, Action<RestCallInvokerOptions>? configure = null)
    {
        var options = new RestCallInvokerOptions();
        options.Services.Add(OperationsReflection.Descriptor.Services[0]);
        configure?.Invoke(options);
        return new RestCallInvoker(fake.RestAddress, options);
    }

    [Fact]
    public async Task GetOperation_MetadataTypeInCallersRegistry_UnpacksExactly()
    {
        // The fake knows the type (it must write it); only the invoker may not.
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets, o => o.AnyTypes.Add(CountArtifactsTestMetadata.Descriptor));
        fake.Store.AddRunning("operations/any-1", Metadata);
        using RestCallInvoker invoker = InvokerFor(fake, o => o.TypeRegistry = TypeRegistry.FromFiles(OperationsReflection.Descriptor, CountArtifactsTestMetadata.Descriptor.File));

        Operation got = await new Operations.OperationsClient(invoker).GetOperationAsync(new GetOperationRequest { Name = "operations/any-1" }).ResponseAsync.WaitAsync(Bound);

        Assert.Equal(Metadata, got.Metadata.Unpack<CountArtifactsTestMetadata>());
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task GetOperation_MetadataTypeUnknown_CallSucceedsWithStructPackedJson()
    {
        // The fake knows the type (it must write it); only the invoker may not.
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets, o => o.AnyTypes.Add(CountArtifactsTestMetadata.Descriptor));
        fake.Store.AddRunning("operations/any-2", Metadata);
        using RestCallInvoker invoker = InvokerFor(fake);

        Operation got = await new Operations.OperationsClient(invoker).GetOperationAsync(new GetOperationRequest { Name = "operations/any-2" }).ResponseAsync.WaitAsync(Bound);

        Assert.Equal("operations/any-2", got.Name);
        Struct packed = got.Metadata.Unpack<Struct>();
        Assert.Equal("type.googleapis.com/" + CountArtifactsTestMetadata.Descriptor.FullName, packed.Fields["@type"].StringValue);
        Assert.Equal("m-1", packed.Fields["matterId"].StringValue);
    }

    [Fact]
    public async Task GetOperation_BearerCredentialAndCallHeaders_ReachTheServer()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets, o => o.RequiredBearerToken = "token-1");
        fake.Store.AddRunning("operations/auth-1");
        using RestCallInvoker invoker = InvokerFor(fake, o => o.Credentials = VaultCredentials.FromAccessToken("token-1"));
        var headers = new Metadata { { "x-goog-request-params", "name=operations/auth-1" } };

        Operation got = await new Operations.OperationsClient(invoker).GetOperationAsync(new GetOperationRequest { Name = "operations/auth-1" }, headers).ResponseAsync.WaitAsync(Bound);

        Assert.Equal("operations/auth-1", got.Name);
        JournalEntry entry = Assert.Single(fake.Journal.Entries);
        Assert.True(entry.HasAuthorization);
        Assert.Equal("name=operations/auth-1", entry.RequestParams);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void Constructor_CredentialsOverPlaintextToRemoteHost_RefusedListingEveryProblem()
    {
        var options = new RestCallInvokerOptions { Credentials = VaultCredentials.FromAccessToken("token-1") };

        ArgumentException error = Assert.Throws<ArgumentException>(() => new RestCallInvoker(new Uri("http://vault.example.test"), options));

        Assert.Contains("plaintext", error.Message, StringComparison.Ordinal);
        Assert.Contains("Services", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerStreaming_AnyMethod_UnimplementedWithoutIo()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        using RestCallInvoker invoker = InvokerFor(fake);
        var method = new Method<Empty, Empty>(MethodType.ServerStreaming, "google.longrunning.Operations", "Watch",
            Marshallers.Create<Empty>(m => Google.Protobuf.MessageExtensions.ToByteArray(m), Empty.Parser.ParseFrom), Marshallers.Create<Empty>(m => Google.Protobuf.MessageExtensions.ToByteArray(m), Empty.Parser.ParseFrom));

        RpcException error = Assert.Throws<RpcException>(() => invoker.AsyncServerStreamingCall(method, null, default, new Empty()));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Contains("streaming", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(fake.Journal.Entries);
    }
}
