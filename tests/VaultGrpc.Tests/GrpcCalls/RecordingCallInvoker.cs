using Grpc.Core;
using Grpc.Core.Testing;

namespace VaultGrpc.Tests.GrpcCalls;

/// <summary>
/// A CallInvoker for unit tests: records each unary call (method, options, request) and completes it
/// with the scripted outcome through Grpc.Core.Testing's <see cref="TestCalls"/>.
/// </summary>
internal sealed class RecordingCallInvoker : CallInvoker
{
    private readonly Func<object, Task<object>> _respond;

    public RecordingCallInvoker(Func<object, Task<object>> respond) => _respond = respond;

    public List<(string Method, CallOptions Options, object Request)> Calls { get; } = [];

    public static RecordingCallInvoker Answering(object response) => new(_ => Task.FromResult(response));

    public static RecordingCallInvoker Failing(Exception error) => new(_ => Task.FromException<object>(error));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.Add((method.FullName, options, request));
        Task<TResponse> response = RespondAsync<TResponse>(request);
        return TestCalls.AsyncUnaryCall(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException("The transport only makes async unary calls.");

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException("The transport only makes async unary calls.");

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException("The transport only makes async unary calls.");

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException("The transport only makes async unary calls.");

    private async Task<TResponse> RespondAsync<TResponse>(object request) => (TResponse)await _respond(request);
}
