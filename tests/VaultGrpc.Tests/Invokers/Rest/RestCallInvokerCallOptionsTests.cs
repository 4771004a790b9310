using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Invokers.Rest;

/// <summary>CallOptions on a <see cref="RestCallInvoker"/> as Grpc.Net.Client treats them on the same stub (no server needed).</summary>
[Trait("Category", "Reliability")]
public sealed class RestCallInvokerCallOptionsTests
{
    // Nothing listens here; the cases below must fail before any I/O.
    private static readonly Uri Nowhere = new("http://127.0.0.1:1");

    public static TheoryData<DateTimeKind> NonUtcKinds => [DateTimeKind.Local, DateTimeKind.Unspecified];

    [Theory]
    [MemberData(nameof(NonUtcKinds))]
    public void AsyncUnaryCall_DeadlineNotUtc_ThrowsInvalidOperationLikeGrpcNetClient(DateTimeKind kind)
    {
        DateTime deadline = DateTime.SpecifyKind(DateTime.UtcNow.AddMinutes(5), kind);
        var request = new GetOperationRequest { Name = "operations/a" };
        using var channel = GrpcChannel.ForAddress(Nowhere);
        var options = new RestCallInvokerOptions();
        options.Services.Add(OperationsReflection.Descriptor.Services[0]);
        using var rest = new RestCallInvoker(Nowhere, options);

        Exception grpc = Assert.ThrowsAny<Exception>(() => new Operations.OperationsClient(channel).GetOperationAsync(request, deadline: deadline));
        Exception overRest = Assert.ThrowsAny<Exception>(() => new Operations.OperationsClient(rest).GetOperationAsync(request, deadline: deadline));

        Assert.IsType<InvalidOperationException>(grpc);
        Assert.IsType<InvalidOperationException>(overRest);
    }
}
