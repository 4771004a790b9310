using Grpc.Core;

namespace VaultGrpc.Internal.Calls;

/// <summary>
/// Grpc.Net.Client measures deadlines on the system clock; the client's deadlines come from its
/// TimeProvider (a test's fake clock). Below the fallback, on the gRPC side only, this keeps the
/// time left rather than the instant. Not used when the client runs on the system clock.
/// </summary>
internal sealed class SystemClockDeadlineInvoker(CallInvoker inner, TimeProvider clock) : CallInvoker
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        inner.AsyncUnaryCall(method, host, OnSystemClock(options), request);

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        inner.BlockingUnaryCall(method, host, OnSystemClock(options), request);

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        inner.AsyncServerStreamingCall(method, host, OnSystemClock(options), request);

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        inner.AsyncClientStreamingCall(method, host, OnSystemClock(options));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        inner.AsyncDuplexStreamingCall(method, host, OnSystemClock(options));

    private CallOptions OnSystemClock(CallOptions options)
    {
        if (options.Deadline is not DateTime due || due == DateTime.MaxValue)
        {
            return options;
        }

        TimeSpan left = due - clock.GetUtcNow().UtcDateTime;
        DateTime now = DateTime.UtcNow;
        return options.WithDeadline(left >= DateTime.MaxValue - now ? DateTime.MaxValue : now + left);
    }
}
