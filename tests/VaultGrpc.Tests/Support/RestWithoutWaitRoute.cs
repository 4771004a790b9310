using Grpc.Core;

namespace VaultGrpc.Tests.Support;

/// <summary>
/// The REST side as RestCallInvoker over Vault's rules is: WaitOperation has no route, so it is
/// answered UNIMPLEMENTED without reaching the wire (counted here); every other call goes to the
/// scripted invoker behind.
/// </summary>
internal sealed class RestWithoutWaitRoute(CallInvoker inner) : CallInvoker
{
    public const string WaitOperation = "/google.longrunning.Operations/WaitOperation";

    private int _waitCalls;

    /// <summary>WaitOperation calls answered UNIMPLEMENTED.</summary>
    public int WaitCalls => Volatile.Read(ref _waitCalls);

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        if (method.FullName != WaitOperation)
        {
            return inner.AsyncUnaryCall(method, host, options, request);
        }

        Interlocked.Increment(ref _waitCalls);
        var noRoute = new Status(StatusCode.Unimplemented, "The method 'google.longrunning.Operations.WaitOperation' has no REST route.");
        return new AsyncUnaryCall<TResponse>(
            Task.FromException<TResponse>(new RpcException(noRoute)),
            Task.FromResult(new Metadata()),
            () => noRoute,
            () => [],
            () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException("The client makes asynchronous calls only.");

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();
}
