using Grpc.Core;
using VaultGrpc.Internal;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Invokers.Fallback;

/// <summary>
/// STAND-IN until RestCallInvoker exists: a test-only CallInvoker that forwards the four Operations
/// RPCs to the internal <see cref="RestTransport"/> (hand-written routes), with the deadline and
/// token from the CallOptions. Any other method answers UNIMPLEMENTED, as a REST front without its route.
/// </summary>
internal sealed class RestTransportStandInInvoker(RestTransport transport) : CallInvoker
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Task<TResponse> response = CallAsync<TRequest, TResponse>(method.FullName, new CallScope(options.Deadline, options.CancellationToken), request);
        return new AsyncUnaryCall<TResponse>(
            response,
            Task.FromResult(new Metadata()),
            () => response.Exception?.InnerException is RpcException error ? error.Status : Status.DefaultSuccess,
            () => response.Exception?.InnerException is RpcException error ? error.Trailers : [],
            () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        AsyncUnaryCall(method, host, options, request).ResponseAsync.GetAwaiter().GetResult();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    private async Task<TResponse> CallAsync<TRequest, TResponse>(string method, CallScope scope, TRequest request)
    {
        object response = (method, request) switch
        {
            ("/google.longrunning.Operations/CancelOperation", CancelOperationRequest cancel) => await Empty(transport.CancelAsync(cancel.Name, scope)),
            ("/google.longrunning.Operations/GetOperation", GetOperationRequest get) => await transport.GetAsync(get.Name, scope),
            ("/google.longrunning.Operations/DeleteOperation", DeleteOperationRequest delete) => await Empty(transport.DeleteAsync(delete.Name, scope)),
            ("/google.longrunning.Operations/ListOperations", ListOperationsRequest list) => await transport.ListAsync(list, scope),
            _ => throw new RpcException(new Status(StatusCode.Unimplemented, $"No REST route for {method}.")),
        };
        return (TResponse)response;
    }

    private static async Task<object> Empty(Task call)
    {
        await call;
        return new Google.Protobuf.WellKnownTypes.Empty();
    }
}
