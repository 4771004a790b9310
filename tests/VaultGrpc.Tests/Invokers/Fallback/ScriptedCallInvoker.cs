using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Testing;

namespace VaultGrpc.Tests.Invokers.Fallback;

/// <summary>
/// An inner CallInvoker for the fallback invoker's unit tests: each unary call is counted per
/// method (full name), its options kept, and completed by <see cref="Behaviour"/> (by default an
/// empty response of the method's type). Status and trailers follow the outcome, as a real call's.
/// </summary>
internal sealed class ScriptedCallInvoker : CallInvoker
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Answers one call: (method full name, options) → a task of the response (any object of its type), or a failure.</summary>
    public Func<string, CallOptions, Task<object?>> Behaviour { get; set; } = (_, _) => Task.FromResult<object?>(null);

    public ConcurrentQueue<(string Method, CallOptions Options)> Calls { get; } = new();

    public int Count(string method) => _counts.TryGetValue(method, out int count) ? count : 0;

    public int Total => Calls.Count;

    public static Func<string, CallOptions, Task<object?>> Fail(RpcException error) => (_, _) => Task.FromException<object?>(error);

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.Enqueue((method.FullName, options));
        _counts.AddOrUpdate(method.FullName, 1, (_, count) => count + 1);
        var disposed = new CancellationTokenSource();
        Task<TResponse> response = DisposableAsync(RespondAsync(method, options), disposed.Token);
        return TestCalls.AsyncUnaryCall(
            response,
            ResponseHeadersAsync(response),
            () => response.Exception?.InnerException is RpcException error ? error.Status : Status.DefaultSuccess,
            () => response.Exception?.InnerException is RpcException error ? error.Trailers : [],
            disposed.Cancel);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException("The fallback invoker makes asynchronous attempts only.");

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    private static async Task<Metadata> ResponseHeadersAsync<TResponse>(Task<TResponse> response)
    {
        await response;
        return [new Metadata.Entry("scripted", "yes")];
    }

    // Disposing a call that has not ended fails it as Grpc.Net.Client does.
    private static async Task<TResponse> DisposableAsync<TResponse>(Task<TResponse> response, CancellationToken disposed)
    {
        try
        {
            return await response.WaitAsync(disposed);
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "gRPC call disposed."));
        }
    }

    private async Task<TResponse> RespondAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options)
        where TRequest : class
        where TResponse : class
    {
        object? answer = await Behaviour(method.FullName, options);
        return answer as TResponse ?? (TResponse)Activator.CreateInstance(typeof(TResponse))!;
    }
}
