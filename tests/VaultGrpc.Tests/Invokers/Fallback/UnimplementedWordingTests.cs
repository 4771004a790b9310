using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.Internal.Fallback.Invoker;
using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Invokers.Fallback;

/// <summary>
/// What a real grpc-dotnet server (Kestrel, loopback) says for an unknown service, an unknown method
/// of a known service, and a generated method left unimplemented — and the reach each gets.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class UnimplementedWordingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static readonly Marshaller<GetOperationRequest> RequestMarshaller = Marshallers.Create(r => r.ToByteArray(), GetOperationRequest.Parser.ParseFrom);
    private static readonly Marshaller<Operation> ResponseMarshaller = Marshallers.Create(r => r.ToByteArray(), Operation.Parser.ParseFrom);

    [Fact]
    public async Task GrpcDotnetServer_UnknownService_SaysServiceIsUnimplementedAndReachesTheChannel()
    {
        await using KestrelPeer peer = await GrpcPeer.StartAsync(new RequestJournal());
        using GrpcChannel channel = GrpcChannel.ForAddress(peer.Address);

        RpcException error = await CallAsync(channel, "vault.test.Missing", "GetOperation");

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("Service is unimplemented.", error.Status.Detail);
        Assert.Equal(StickyScope.Channel, ScopeOf(error));
    }

    [Fact]
    public async Task GrpcDotnetServer_UnknownMethodOfKnownService_SaysMethodIsUnimplementedAndReachesTheMethod()
    {
        await using KestrelPeer peer = await GrpcPeer.StartAsync(new RequestJournal());
        using GrpcChannel channel = GrpcChannel.ForAddress(peer.Address);

        RpcException error = await CallAsync(channel, "google.longrunning.Operations", "NoSuchMethod");

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("Method is unimplemented.", error.Status.Detail);
        Assert.Equal(StickyScope.Method, ScopeOf(error));
    }

    [Fact]
    public async Task GrpcDotnetServer_GeneratedMethodNotOverridden_EmptyMessageAndReachesTheMethod()
    {
        await using KestrelPeer peer = await GrpcPeer.StartAsync(new RequestJournal());
        using GrpcChannel channel = GrpcChannel.ForAddress(peer.Address);
        var stub = new Operations.OperationsClient(channel);

        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => stub.DeleteOperationAsync(new DeleteOperationRequest { Name = "operations/a" }).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal(string.Empty, error.Status.Detail);
        Assert.Equal(StickyScope.Method, ScopeOf(error));
    }

    [Theory]
    [InlineData("unknown service google.longrunning.Operations", false)]
    [InlineData("unknown method CancelOperation for service google.longrunning.Operations", true)]
    [InlineData("Method not found: google.longrunning.Operations/CancelOperation", true)]
    [InlineData("Bad gRPC response. HTTP status code: 404", false)]
    public void NotServedScope_OtherServersWordings_MethodLevelOnlyForAMethod(string detail, bool methodLevel)
    {
        var error = new RpcException(new Status(StatusCode.Unimplemented, detail));

        Assert.Equal(methodLevel ? StickyScope.Method : StickyScope.Channel, ScopeOf(error));
    }

    private static StickyScope ScopeOf(RpcException error) =>
        NotServedScope.Of(GrpcFailureClassifier.Classify(error, callerCancelled: false)!.Value, error);

    private static Task<RpcException> CallAsync(GrpcChannel channel, string service, string method)
    {
        var descriptor = new Method<GetOperationRequest, Operation>(MethodType.Unary, service, method, RequestMarshaller, ResponseMarshaller);
        return Assert.ThrowsAsync<RpcException>(
            () => channel.CreateCallInvoker().AsyncUnaryCall(descriptor, null, default, new GetOperationRequest { Name = "operations/a" }).ResponseAsync.WaitAsync(Bound));
    }
}
