using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.Invokers.Fallback;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Invokers.Fallback;

/// <summary>
/// The generated stub over <c>new FallbackCallInvoker(channel.CreateCallInvoker(), rest)</c> against the
/// fake over Kestrel sockets, in every gRPC serving mode, REST through a <see cref="RestCallInvoker"/>.
/// The channel is VaultGrpc's own (its handler holds a request back until the HTTP/2 connection
/// works, which is what proves an HTTP/1.1-only peer never got it); a plain GrpcChannel lacks that
/// proof (see the last test).
/// </summary>
[Trait("Category", "Reliability")]
public sealed class FallbackCallInvokerOverFakeTests
{
    private const string Name = "operations/invoker/a";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static TheoryData<GrpcServingMode, string?> ModesAndFallbacks => new()
    {
        { GrpcServingMode.Serve, null },
        { GrpcServingMode.Unimplemented, "rest; fallback=grpc_unimplemented" },
        { GrpcServingMode.NotListening, "rest; fallback=grpc_no_connection" },
        { GrpcServingMode.Http1Only, "rest; fallback=grpc_not_served" },
        { GrpcServingMode.Gateway503, "rest; fallback=grpc_not_served" },
        { GrpcServingMode.HtmlLoginPage, "rest; fallback=grpc_not_served" },
    };

    [Theory]
    [MemberData(nameof(ModesAndFallbacks))]
    public async Task GetOperation_EachServingMode_ServedWithTheTransportHeader(GrpcServingMode mode, string? fallback)
    {
        await using FakeOperationsServer fake = await StartAsync(mode);
        using GrpcChannel channel = VaultChannel(fake);
        using RestCallInvoker rest = RestInvoker(fake);
        var stub = new Operations.OperationsClient(CreateInvoker(channel, rest));

        using AsyncUnaryCall<Operation> call = stub.GetOperationAsync(new GetOperationRequest { Name = Name }, deadline: DateTime.UtcNow.AddSeconds(20));
        Operation operation = await call.ResponseAsync.WaitAsync(Bound);
        Metadata headers = await call.ResponseHeadersAsync.WaitAsync(Bound);

        Assert.Equal(Name, operation.Name);
        Assert.Equal(fallback ?? "grpc", headers.GetValue(FallbackCallInvoker.TransportHeader));
        Assert.Equal(fallback is null ? 0 : 1, fake.Journal.Count(Transport.Rest, OperationsMethod.Get));
    }

    [Theory]
    [MemberData(nameof(ModesAndFallbacks))]
    public async Task DeleteOperation_EachServingMode_MovesOnlyWithProofOfNonDelivery(GrpcServingMode mode, string? fallback)
    {
        await using FakeOperationsServer fake = await StartAsync(mode);
        using GrpcChannel channel = VaultChannel(fake);
        using RestCallInvoker rest = RestInvoker(fake);
        var stub = new Operations.OperationsClient(CreateInvoker(channel, rest));

        Task<Google.Protobuf.WellKnownTypes.Empty> delete = stub.DeleteOperationAsync(new DeleteOperationRequest { Name = Name }).ResponseAsync.WaitAsync(Bound);

        if (mode == GrpcServingMode.Gateway503)
        {
            // The gateway may have forwarded it: never sent again, outcome unknown.
            VaultOutcomeUnknownException unknown = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(() => delete);
            Assert.Equal(StatusCode.Unavailable, unknown.StatusCode);
            Assert.Equal(0, fake.Journal.Count(Transport.Rest));
            return;
        }

        await delete;
        Assert.Equal(fallback is null ? 0 : 1, fake.Journal.Count(Transport.Rest, OperationsMethod.Delete));
        Assert.Equal(fallback is null ? 1 : 0, fake.Journal.Where(Transport.Grpc, OperationsMethod.Delete).Count(entry => entry.Status == StatusCode.OK));
    }

    [Fact]
    public async Task Calls_CancelUnimplementedOverGrpc_OnlyCancelGoesToRest()
    {
        await using FakeOperationsServer fake = await StartAsync(GrpcServingMode.Serve);
        fake.SetGrpcUnimplemented(OperationsMethod.Cancel);
        using GrpcChannel channel = VaultChannel(fake);
        using RestCallInvoker rest = RestInvoker(fake);
        var stub = new Operations.OperationsClient(CreateInvoker(channel, rest));

        for (int i = 0; i < 5; i++)
        {
            await stub.CancelOperationAsync(new CancelOperationRequest { Name = Name }).ResponseAsync.WaitAsync(Bound);
            await stub.GetOperationAsync(new GetOperationRequest { Name = Name }).ResponseAsync.WaitAsync(Bound);
            await stub.ListOperationsAsync(new ListOperationsRequest { Name = "operations" }).ResponseAsync.WaitAsync(Bound);
        }

        Assert.Equal(1, fake.Journal.Count(Transport.Grpc, OperationsMethod.Cancel));
        Assert.Equal(5, fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel));
        Assert.Equal(5, fake.Journal.Count(Transport.Grpc, OperationsMethod.Get));
        Assert.Equal(5, fake.Journal.Count(Transport.Grpc, OperationsMethod.List));
        Assert.Equal(0, fake.Journal.Count(Transport.Rest, OperationsMethod.Get) + fake.Journal.Count(Transport.Rest, OperationsMethod.List));
    }

    [Fact]
    public async Task DeleteOperation_PlainChannelToHttp1OnlyPeer_OutcomeUnknownForWantOfProof()
    {
        await using FakeOperationsServer fake = await StartAsync(GrpcServingMode.Http1Only);
        using GrpcChannel channel = fake.CreateGrpcChannel();
        using RestCallInvoker rest = RestInvoker(fake);
        var stub = new Operations.OperationsClient(CreateInvoker(channel, rest));

        // Kestrel's GOAWAY HTTP_1_1_REQUIRED after the request left proves nothing without the
        // delivery-tracking handler of VaultGrpc's channel: a Delete then stays where it is.
        RpcException error = await Assert.ThrowsAnyAsync<RpcException>(
            () => stub.DeleteOperationAsync(new DeleteOperationRequest { Name = Name }).ResponseAsync.WaitAsync(Bound));

        Assert.Contains(error.StatusCode, new[] { StatusCode.Internal, StatusCode.Unavailable });
        Assert.Equal(0, fake.Journal.Count(Transport.Rest));
    }

    private static GrpcChannel VaultChannel(FakeOperationsServer fake) =>
        GrpcChannelFactory.Create(fake.CreateClientOptions(), new AccessTokenSource(VaultCredentials.None)).Channel;

    // The REST side as a client builds it: the Operations service routed by its google.api.http rules.
    private static RestCallInvoker RestInvoker(FakeOperationsServer fake)
    {
        var options = new RestCallInvokerOptions();
        options.Services.Add(OperationsReflection.Descriptor.Services[0]);
        return new RestCallInvoker(fake.RestAddress, options);
    }

    private static FallbackCallInvoker CreateInvoker(GrpcChannel channel, RestCallInvoker rest) =>
        new(channel.CreateCallInvoker(), rest, new FallbackCallInvokerOptions
        {
            Services = { OperationsReflection.Descriptor.Services[0] },
            SafeToRepeat = { "/google.longrunning.Operations/CancelOperation" },
        });

    private static async Task<FakeOperationsServer> StartAsync(GrpcServingMode mode)
    {
        FakeOperationsServer fake = await FakeOperationsServer.StartAsync(options =>
        {
            options.Hosting = FakeHosting.Sockets;
            options.GrpcMode = mode;
        });
        fake.Store.AddDone(Name);
        return fake;
    }
}
