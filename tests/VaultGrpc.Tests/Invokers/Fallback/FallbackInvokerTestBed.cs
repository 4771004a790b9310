using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using VaultGrpc.Invokers.Fallback;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.Invokers.Fallback;

/// <summary>A fake clock, two scripted inner invokers, and the generated stub over a fallback invoker on them.</summary>
public abstract class FallbackInvokerTestBed
{
    protected const string Cancel = "/google.longrunning.Operations/CancelOperation";
    protected const string Get = "/google.longrunning.Operations/GetOperation";
    protected const string Delete = "/google.longrunning.Operations/DeleteOperation";
    protected const string List = "/google.longrunning.Operations/ListOperations";

    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private protected FakeTimeProvider Time { get; } = FakeTime.Create();

    private protected ScriptedCallInvoker GrpcSide { get; } = new();

    private protected ScriptedCallInvoker RestSide { get; } = new();

    private protected List<FallbackCallReport> Reports { get; } = [];

    private protected Operations.OperationsClient CreateStub(Action<FallbackCallInvokerOptions>? configure = null) => new(CreateInvoker(configure));

    private protected FallbackCallInvoker CreateInvoker(Action<FallbackCallInvokerOptions>? configure = null)
    {
        var options = new FallbackCallInvokerOptions
        {
            TimeProvider = Time,
            Services = { OperationsReflection.Descriptor.Services[0] },
            SafeToRepeat = { Cancel },
            CallObserver = report =>
            {
                lock (Reports)
                {
                    Reports.Add(report);
                }
            },
        };
        configure?.Invoke(options);
        return new FallbackCallInvoker(GrpcSide, RestSide, options);
    }

    /// <summary>gRPC fails every call of <paramref name="method"/> with <paramref name="error"/> and serves the others.</summary>
    private protected void GrpcFails(string method, RpcException error) =>
        GrpcSide.Behaviour = (called, _) => called == method ? Task.FromException<object?>(error) : Task.FromResult<object?>(null);

    private protected static Task<Google.Protobuf.WellKnownTypes.Empty> CancelAsync(Operations.OperationsClient stub, CallOptions options = default) =>
        stub.CancelOperationAsync(new CancelOperationRequest { Name = "operations/a" }, options).ResponseAsync.WaitAsync(Bound);

    private protected static Task<Operation> GetAsync(Operations.OperationsClient stub) =>
        stub.GetOperationAsync(new GetOperationRequest { Name = "operations/a" }).ResponseAsync.WaitAsync(Bound);

    private protected static Task<ListOperationsResponse> ListAsync(Operations.OperationsClient stub) =>
        stub.ListOperationsAsync(new ListOperationsRequest { Name = "operations" }).ResponseAsync.WaitAsync(Bound);

    private protected static Task<Google.Protobuf.WellKnownTypes.Empty> DeleteAsync(Operations.OperationsClient stub) =>
        stub.DeleteOperationAsync(new DeleteOperationRequest { Name = "operations/a" }).ResponseAsync.WaitAsync(Bound);
}
