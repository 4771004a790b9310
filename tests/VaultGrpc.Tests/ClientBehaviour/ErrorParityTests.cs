using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using VaultGrpc.Testing;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

namespace VaultGrpc.Tests.ClientBehaviour;

/// <summary>
/// One exception whichever transport: the same error served over gRPC (GrpcOnly) and over REST
/// (RestOnly, in both JSON error shapes) reaches the caller as equal RpcExceptions, details included.
/// </summary>
public sealed class ErrorParityTests
{
    private const string Name = "operations/parity-1";

    public static TheoryData<FakeHosting, RestErrorShape, StatusCode> Cases()
    {
        var data = new TheoryData<FakeHosting, RestErrorShape, StatusCode>();
        foreach (FakeHosting hosting in new[] { FakeHosting.InMemory, FakeHosting.Sockets })
        {
            foreach (RestErrorShape shape in new[] { RestErrorShape.Aip193, RestErrorShape.BareStatus })
            {
                foreach (StatusCode code in new[] { StatusCode.NotFound, StatusCode.PermissionDenied, StatusCode.FailedPrecondition, StatusCode.ResourceExhausted, StatusCode.Unauthenticated })
                {
                    data.Add(hosting, shape, code);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task GetAsync_SameStatusOverGrpcAndRest_EqualRpcExceptions(FakeHosting hosting, RestErrorShape shape, StatusCode code)
    {
        await using FakeOperationsServer fake = await StartAsync(hosting, o => o.RestErrorShape = shape);
        fake.Store.AddRunning(Name);
        IMessage[] details =
        [
            new ErrorInfo { Reason = "PARITY_" + code, Domain = "vault.googleapis.com", Metadata = { ["service"] = "vault" } },
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(1500)) },
            new PreconditionFailure { Violations = { new PreconditionFailure.Types.Violation { Type = "HOLD", Subject = "matters/m-1", Description = "on hold, é ✓" } } },
        ];
        fake.Faults.Add(Fault.Status(code, $"{code}: the matter is on hold (é ✓)", details));
        await using VaultOperationsClient overGrpc = Create(fake, TransportMode.GrpcOnly);
        await using VaultOperationsClient overRest = Create(fake, TransportMode.RestOnly);

        RpcException grpc = await Assert.ThrowsAsync<RpcException>(() => overGrpc.GetAsync(Name).WaitAsync(Bound));
        RpcException rest = await Assert.ThrowsAsync<RpcException>(() => overRest.GetAsync(Name).WaitAsync(Bound));

        Assert.Equal(code, grpc.StatusCode);
        Assert.Equal(grpc.StatusCode, rest.StatusCode);
        Assert.Equal(grpc.Status.Detail, rest.Status.Detail);
        Google.Rpc.Status grpcStatus = grpc.GetRpcStatus()!;
        Assert.Equal(grpcStatus, rest.GetRpcStatus());
        Assert.Equal(3, grpcStatus.Details.Count);
        Assert.Equal("matters/m-1", grpcStatus.GetDetail<PreconditionFailure>()!.Violations[0].Subject);
        AssertOneEach(fake, Transport.Grpc, Transport.Rest);
    }

    [Theory]
    [InlineData(FakeHosting.InMemory, RestErrorShape.Aip193)]
    [InlineData(FakeHosting.InMemory, RestErrorShape.BareStatus)]
    [InlineData(FakeHosting.Sockets, RestErrorShape.Aip193)]
    [InlineData(FakeHosting.Sockets, RestErrorShape.BareStatus)]
    public async Task GetAsync_UnknownOperationOverGrpcAndRest_SameNotFound(FakeHosting hosting, RestErrorShape shape)
    {
        // The service's own NOT_FOUND (no fault): the message it writes reaches the caller unchanged both ways.
        await using FakeOperationsServer fake = await StartAsync(hosting, o => o.RestErrorShape = shape);
        await using VaultOperationsClient overGrpc = Create(fake, TransportMode.GrpcOnly);
        await using VaultOperationsClient overRest = Create(fake, TransportMode.RestOnly);

        RpcException grpc = await Assert.ThrowsAsync<RpcException>(() => overGrpc.GetAsync("operations/none").WaitAsync(Bound));
        RpcException rest = await Assert.ThrowsAsync<RpcException>(() => overRest.GetAsync("operations/none").WaitAsync(Bound));

        Assert.Equal((StatusCode.NotFound, StatusCode.NotFound), (grpc.StatusCode, rest.StatusCode));
        Assert.Contains("operations/none", grpc.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(grpc.Status.Detail, rest.Status.Detail);
        AssertOneEach(fake, Transport.Grpc, Transport.Rest);
    }

    private static void AssertOneEach(FakeOperationsServer fake, params Transport[] transports)
    {
        foreach (Transport transport in transports)
        {
            JournalEntry entry = Assert.Single(fake.Journal.Where(transport));
            Assert.Equal(OperationsMethod.Get, entry.Method);
        }
    }
}
