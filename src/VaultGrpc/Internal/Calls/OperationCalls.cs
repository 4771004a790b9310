using System.Diagnostics;
using System.Runtime.CompilerServices;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using VaultGrpc.Internal.Delivery;
using VaultGrpc.Internal.Fallback.Invoker;
using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.Internal.Retry;
using VaultGrpc.Internal.Telemetry;
using VaultGrpc.LongRunning;
using VaultGrpc.Invokers.Fallback;

namespace VaultGrpc.Internal.Calls;

/// <summary>
/// The layers around each call of the generated stub, outermost first: telemetry (one activity and
/// the metrics per facade call; skipped when nothing listens), the retry policy, then one attempt —
/// the stub's call over the
/// stack's invoker, whose report says which transport served, and the failure as the caller sees it
/// (<see cref="FailurePresentation"/>, the outcome guard for a method not safe to repeat).
/// </summary>
internal sealed class OperationCalls
{
    private readonly VaultOperationsClientOptions _options;
    private readonly OperationsStack _stack;
    private readonly RetryPolicy _retry;
    private readonly ILogger _logger;
    private readonly FailurePresentation _presentation;
    private readonly Metadata.Entry _apiClientHeader;
    private readonly ClientTelemetry _telemetry;

    public OperationCalls(VaultOperationsClientOptions options, OperationsStack stack, ILogger logger)
    {
        _options = options;
        _stack = stack;
        _logger = logger;
        _retry = new RetryPolicy(options.Retry, options.TimeProvider, logger);
        _presentation = new FailurePresentation(stack.Tokens, stack.Watch, stack.GrpcAuthority);
        _apiClientHeader = GrpcCallHeaders.ApiClientEntry(ApiClientHeader.Value(options.ApiClientSuffix));
        _telemetry = new ClientTelemetry(options);
    }

    /// <summary>
    /// Runs one facade call of <paramref name="method"/>: <paramref name="start"/> calls the stub;
    /// <paramref name="resourceName"/> routes it (<c>x-goog-request-params</c>). A <paramref name="trace"/>
    /// learns how the last attempt ended, failed or not.
    /// </summary>
    public Task<VaultResponse<TResponse>> InvokeAsync<TRequest, TResponse>(
        RpcMethod method,
        TRequest request,
        string resourceName,
        Func<Operations.OperationsClient, TRequest, CallOptions, AsyncUnaryCall<TResponse>> start,
        TimeSpan? timeout,
        CancellationToken cancellationToken,
        CallTrace? trace = null) =>
        InvokeAsync(method, request, resourceName, start, static (response, info) => new VaultResponse<TResponse>(response, info), timeout, cancellationToken, trace);

    /// <summary>
    /// As the other overload, with the result shaped by <paramref name="result"/> (a static lambda):
    /// Cancel and Delete return the call's <see cref="VaultCallInfo"/> without a wrapper of their own.
    /// </summary>
    public Task<TResult> InvokeAsync<TRequest, TResponse, TResult>(
        RpcMethod method,
        TRequest request,
        string resourceName,
        Func<Operations.OperationsClient, TRequest, CallOptions, AsyncUnaryCall<TResponse>> start,
        Func<TResponse, VaultCallInfo, TResult> result,
        TimeSpan? timeout,
        CancellationToken cancellationToken,
        CallTrace? trace = null)
    {
        // Failures surface through the task, as from an async method: the caller's cancellation first.
        DateTime? deadline = null;
        if (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                deadline = DeadlineAfter(timeout ?? _options.DefaultTimeout);
            }
            catch (ArgumentOutOfRangeException error)
            {
                return Task.FromException<TResult>(error);
            }
        }

        // The call's parts go into one object; when nothing listens to telemetry, the retry loop's
        // task is the call's task (the attempt's state machine is pooled).
        var attempt = new Attempt<TRequest, TResponse, TResult>(this, method, deadline, request, resourceName, start, result, trace);
        return VaultTelemetry.IsListening(_telemetry)
            ? WithTelemetryAsync(attempt, cancellationToken)
            : _retry.ExecuteAsync(static (_, a, ct) => a.RunAsync(ct), attempt, attempt, cancellationToken);
    }

    private async Task<TResult> WithTelemetryAsync<TRequest, TResponse, TResult>(Attempt<TRequest, TResponse, TResult> attempt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Activity? activity = VaultTelemetry.StartCall(attempt.Method);
        long started = _options.TimeProvider.GetTimestamp();
        StatusCode status = StatusCode.Unknown;
        try
        {
            TResult result = await _retry.ExecuteAsync(static (_, a, ct) => a.RunAsync(ct), attempt, attempt, cancellationToken).ConfigureAwait(false);
            status = StatusCode.OK;
            return result;
        }
        catch (RpcException error)
        {
            status = error.StatusCode;
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = StatusCode.Cancelled;
            throw;
        }
        finally
        {
            VaultTelemetry.EndCall(_telemetry, activity, attempt.Method, attempt.AnsweredBy, attempt.Fallback, attempt.Attempts, status, _options.TimeProvider.GetElapsedTime(started));
        }
    }

    /// <summary>The UTC instant <paramref name="timeout"/> from now on the client's clock, or null for an infinite timeout.</summary>
    internal DateTime? DeadlineAfter(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive or Timeout.InfiniteTimeSpan.");
        }

        DateTime now = _options.TimeProvider.GetUtcNow().UtcDateTime;
        return timeout >= DateTime.MaxValue - now ? null : now + timeout;
    }

    private bool DeadlinePassed(DateTime? deadline) =>
        deadline is { } due && _options.TimeProvider.GetUtcNow().UtcDateTime >= due;

    /// <summary>
    /// One call: its fixed parts and its progress across attempts, in one object (no closures, no
    /// state tuples). Under the fallback invoker it is also the call's report sink.
    /// </summary>
    private sealed class Attempt<TRequest, TResponse, TResult>(
        OperationCalls calls,
        RpcMethod method,
        DateTime? deadline,
        TRequest request,
        string resourceName,
        Func<Operations.OperationsClient, TRequest, CallOptions, AsyncUnaryCall<TResponse>> start,
        Func<TResponse, VaultCallInfo, TResult> result,
        CallTrace? trace) : CallProgress(method, deadline), ICallReportSink
    {
        // What the fallback invoker reported of the current attempt (Record); reset as each attempt starts.
        private bool _reported;
        private Transport? _reportedTransport;
        private FallbackReason _reportedFallback;
        private string? _reportedDetail;

        /// <summary>How the call was served, once an attempt succeeded.</summary>
        public VaultCallInfo? Info { get; private set; }

        /// <summary>The transport of the last attempt's answer, failed or not; null when none answered.</summary>
        public Transport? AnsweredBy { get; private set; }

        /// <summary>Why the last attempt went to REST, if it did.</summary>
        public FallbackReason Fallback { get; private set; }

        public void Record(Transport? transport, FallbackReason fallback, string? fallbackDetail)
        {
            _reportedTransport = transport;
            _reportedFallback = fallback;
            _reportedDetail = fallbackDetail;
            _reported = true;
        }

        // Pooled: the retry loop awaits each attempt once, so its state machine is reused rather
        // than allocated per call (the loop's own task is the one the caller holds).
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public async ValueTask<TResult> RunAsync(CancellationToken cancellationToken)
        {
            // Telemetry's view only (the caller's trace keeps the attempt before): no answer yet.
            AnsweredBy = null;
            Fallback = FallbackReason.None;
            _reported = false;
            if (calls.DeadlinePassed(Deadline))
            {
                // Nothing of this attempt left: a method not safe to repeat is still only as open as the attempts before.
                throw DeliveryEvidence.MarkNotDelivered(new RpcException(new Status(StatusCode.DeadlineExceeded, $"The deadline of {VaultTelemetry.MethodName(Method)} passed before attempt {Attempts}.")));
            }

            var callOptions = new CallOptions(
                headers: GrpcCallHeaders.Create(calls._apiClientHeader, resourceName),
                deadline: Deadline,
                cancellationToken: cancellationToken);
            try
            {
                AsyncUnaryCall<TResponse> call;
                using (calls._stack.Fallback is null ? default : CallReportHandoff.Offer(this))
                {
                    call = start(calls._stack.Stub, request, callOptions);
                }

                using (call)
                {
                    TResponse response = await call.ResponseAsync.ConfigureAwait(false);
                    VaultCallInfo info = _reported
                        ? CallInfos.Of(_reportedTransport ?? Transport.Rest, _reportedFallback, _reportedDetail, Attempts)
                        : CallInfos.Of(SingleTransport(), FallbackReason.None, null, Attempts);
                    Trace(info.Transport, info.Fallback, info.FallbackDetail);
                    Info = info;
                    return result(response, info);
                }
            }
            catch (RpcException error)
            {
                if (_reported)
                {
                    Trace(_reportedTransport, _reportedFallback, _reportedDetail);
                }
                else
                {
                    Trace(SingleTransport(), FallbackReason.None, null);
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    // The caller's token fired: the caller sees its own cancellation, as grpc-dotnet
                    // reports it, whatever the attempt said (and the retry policy never retries it).
                    throw new OperationCanceledException("The call was cancelled by the caller.", calls._presentation.Redacted(error), cancellationToken);
                }

                throw calls.Guarded(this, VaultTelemetry.MethodName(Method), error);
            }
            catch (OperationCanceledException cancelled) when (!cancellationToken.IsCancellationRequested && Deadline is not null)
            {
                // Not the caller's token, so the call's deadline: surface it as gRPC does everywhere else,
                // and guard it as that DEADLINE_EXCEEDED would be (a Delete's outcome is open).
                throw calls.Guarded(this, VaultTelemetry.MethodName(Method), new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded", cancelled)));
            }
        }

        private Transport SingleTransport() => calls._options.TransportMode == TransportMode.RestOnly ? Transport.Rest : Transport.Grpc;

        private void Trace(Transport? transport, FallbackReason fallback, string? detail)
        {
            AnsweredBy = transport;
            Fallback = fallback;
            if (trace is not null)
            {
                trace.Transport = transport;
                trace.Fallback = fallback;
                trace.FallbackDetail = detail;
            }
        }
    }

    /// <summary>
    /// The failure as the caller sees it. A method that is not safe to repeat whose failure leaves its
    /// outcome open ends here (<see cref="VaultOutcomeUnknownException"/>): the retry policy never
    /// sends it again. The fallback invoker applies the same rule to the transports it chooses; a
    /// single transport's failure gets it here, gRPC's after the classifier looked for proof of non-delivery.
    /// </summary>
    private RpcException Guarded(CallProgress progress, string method, RpcException error)
    {
        RpcException shown = _presentation.Present(method, error);
        if (_options.TransportMode == TransportMode.GrpcOnly
            && GrpcFailureClassifier.Classify(error, callerCancelled: false) is { RequestMayHaveActed: false })
        {
            shown = DeliveryEvidence.MarkNotDelivered(shown);
        }

        if (!OutcomeGuard.IsSafeToRepeat(progress.Method) && (shown is VaultOutcomeUnknownException || OutcomeGuard.LeavesOutcomeOpen(shown)))
        {
            Log.OutcomeUnknown(_logger, method, shown.StatusCode, progress.Attempts);
            return shown as VaultOutcomeUnknownException ?? OutcomeGuard.Unknown(progress.Method, shown);
        }

        return shown;
    }
}
