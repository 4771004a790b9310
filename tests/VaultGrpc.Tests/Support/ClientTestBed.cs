using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using VaultGrpc.Internal.Calls;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.Invokers.Fallback;

namespace VaultGrpc.Tests.Support;

/// <summary>
/// What the tests of the client's fallback policy, retries and waiting share: a fake clock, two
/// scripted inner invokers, and the real client over them (its stack built as in Auto, GrpcOnly or
/// RestOnly from the options the test adjusts). By default both sides serve every call, Get and
/// WaitOperation with <see cref="OperationName"/> done; REST has no WaitOperation route.
/// </summary>
public abstract class ClientTestBed
{
    protected const string Cancel = "/google.longrunning.Operations/CancelOperation";
    protected const string Get = "/google.longrunning.Operations/GetOperation";
    protected const string List = "/google.longrunning.Operations/ListOperations";
    protected const string Wait = RestWithoutWaitRoute.WaitOperation;

    protected const string OperationName = "operations/op-1";

    /// <summary>How long a test waits for a call that should end at once before it fails instead of hanging.</summary>
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly RestWithoutWaitRoute _rest;

    protected ClientTestBed()
    {
        GrpcSide.Behaviour = ServeAll;
        RestSide.Behaviour = ServeAll;
        _rest = new RestWithoutWaitRoute(RestSide);
    }

    private protected FakeTimeProvider Time { get; } = FakeTime.Create();

    private protected ScriptedCallInvoker GrpcSide { get; } = new();

    private protected ScriptedCallInvoker RestSide { get; } = new();

    /// <summary>WaitOperation calls that reached the REST invoker (each answered UNIMPLEMENTED, without I/O).</summary>
    private protected int RestWaitCalls => _rest.WaitCalls;

    /// <summary>The client as VaultOperationsClient.Create builds it, but over the scripted invokers.</summary>
    private protected VaultOperationsClient CreateClient(Action<VaultOperationsClientOptions>? configure = null)
    {
        var options = new VaultOperationsClientOptions { Credentials = VaultCredentials.None, TimeProvider = Time };
        configure?.Invoke(options);
        VaultOperationsClientOptions frozen = options.Clone();
        frozen.Validate();
        return new VaultOperationsClientImpl(frozen, new OperationsStack(frozen, GrpcSide, _rest));
    }

    /// <summary>An operation named <see cref="OperationName"/>.</summary>
    private protected static Operation Op(bool done) => new() { Name = OperationName, Done = done };

    private protected static Task<object?> Answer(object? response) => Task.FromResult(response);

    private protected static Task<object?> Fail(RpcException error) => Task.FromException<object?>(error);

    /// <summary>
    /// A gRPC call that is never answered, as the client sees it: nothing until its deadline, then
    /// DEADLINE_EXCEEDED. The gRPC side gets deadlines on the system clock (as Grpc.Net.Client
    /// measures them); the time left is waited for on the fake clock.
    /// </summary>
    private protected Task<object?> GrpcHangs(CallOptions options) => HangAsync(options.Deadline!.Value - DateTime.UtcNow);

    /// <summary>A REST call that is never answered: its deadline is on the client's (fake) clock.</summary>
    private protected Task<object?> RestHangs(CallOptions options) => HangAsync(options.Deadline!.Value - Time.GetUtcNow().UtcDateTime);

    private static Task<object?> ServeAll(string method, CallOptions options) =>
        Answer(method is Get or Wait ? Op(done: true) : null);

    private async Task<object?> HangAsync(TimeSpan left)
    {
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, Time);
        }

        throw new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
    }
}
