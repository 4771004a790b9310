using System.Runtime.ExceptionServices;
using Grpc.Core;
using VaultGrpc.Internal.Delivery;
using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.Internal.Telemetry;
using VaultGrpc.Invokers.Fallback;

namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>
/// One unary call through a <see cref="FallbackCallInvoker"/>: the route the gate chooses, the gRPC
/// attempt, its classification, and the REST attempt when the safety principle allows it. The
/// caller's <see cref="AsyncUnaryCall{TResponse}"/> reads status, trailers and headers from the
/// attempt that gave the final answer.
/// </summary>
internal sealed class FallbackUnaryCall<TRequest, TResponse>
    where TRequest : class
    where TResponse : class
{
    private readonly FallbackCallInvoker _invoker;
    private readonly Method<TRequest, TResponse> _method;
    private readonly string? _host;
    private readonly CallOptions _options;
    private readonly TRequest _request;
    private readonly bool _safeToRepeat;
    private readonly ICallReportSink? _sink;

    private AsyncUnaryCall<TResponse>? _current;
    private bool _disposed;
    private RpcException? _ownFailure;
    private Task<TResponse>? _response;
    private Task<Metadata>? _headers;
    private Transport? _answeredBy;
    private FallbackReason _fallback;
    private string? _fallbackDetail;

    public FallbackUnaryCall(FallbackCallInvoker invoker, Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request, ICallReportSink? sink)
    {
        _sink = sink;
        _invoker = invoker;
        _method = method;
        _host = host;
        _options = options;
        _request = request;
        _safeToRepeat = invoker.SafeToRepeat.Contains(method.FullName);
    }

    // The call itself is the lock (it is internal, reachable only through its AsyncUnaryCall's
    // private state): a lock object of its own was about 40 B more per call.
    private object Sync => this;

    private bool CallerCancelled => _options.CancellationToken.IsCancellationRequested;

    private bool Disposed
    {
        get
        {
            lock (Sync)
            {
                return _disposed;
            }
        }
    }

    public AsyncUnaryCall<TResponse> Start()
    {
        _response = RunAsync();
        return new AsyncUnaryCall<TResponse>(
            _response,
            static state => ((FallbackUnaryCall<TRequest, TResponse>)state).Headers(),
            static state => ((FallbackUnaryCall<TRequest, TResponse>)state).GetStatus(),
            static state => ((FallbackUnaryCall<TRequest, TResponse>)state).GetTrailers(),
            static state => ((FallbackUnaryCall<TRequest, TResponse>)state).Dispose(),
            this);
    }

    // One state machine for the whole call (the gRPC attempt, and REST when it moves or is sticky):
    // the decisions in between are synchronous methods that return the failure to throw.
    private async Task<TResponse> RunAsync()
    {
        StatusCode status = StatusCode.Unknown;
        try
        {
            TResponse response;
            Route route = _invoker.Gate.Choose(_method.FullName);
            using (GrpcProbeLease? lease = route.Lease)
            {
                if (lease is not null)
                {
                    Log.ProbingGrpc(_invoker.Logger, _method.Name);
                }

                FallbackReason reason;
                StickyFinding? grpcFinding;
                bool grpcTried = route.Kind == RouteKind.Grpc;
                if (route.Kind == RouteKind.NotSupported)
                {
                    _fallback = FallbackReason.StickyRest;
                    _fallbackDetail = route.Finding!.Detail;
                    throw Own(new RpcException(route.Finding.NotSupported!.Value));
                }

                if (grpcTried)
                {
                    AsyncUnaryCall<TResponse> grpc = StartAttempt(_invoker.Grpc, Transport.Grpc);
                    RpcException grpcFailure;
                    try
                    {
                        response = await grpc.ResponseAsync.ConfigureAwait(false);
                        ReportServed(lease);
                        status = StatusCode.OK;
                        return response;
                    }
                    catch (RpcException error)
                    {
                        grpcFailure = error;
                    }

                    if (GrpcFailed(grpcFailure, lease, out reason, out grpcFinding) is { } final)
                    {
                        throw final;
                    }
                }
                else
                {
                    reason = FallbackReason.StickyRest;
                    grpcFinding = route.Finding!;
                }

                _fallback = reason;
                _fallbackDetail = grpcFinding!.Detail;
                AsyncUnaryCall<TResponse> rest = StartAttempt(_invoker.Rest, Transport.Rest);
                try
                {
                    response = await rest.ResponseAsync.ConfigureAwait(false);
                }
                catch (RpcException error)
                {
                    throw RestFailed(error, grpcFinding, grpcTried);
                }
            }

            status = StatusCode.OK;
            return response;
        }
        catch (RpcException error)
        {
            status = error.StatusCode;
            throw;
        }
        catch (OperationCanceledException)
        {
            status = StatusCode.Cancelled;
            throw;
        }
        finally
        {
            _sink?.Record(_answeredBy, _fallback, _fallbackDetail);
            _invoker.Observer?.Invoke(new FallbackCallReport(_method.FullName, _answeredBy, _fallback, _fallbackDetail, status));
        }
    }

    /// <summary>
    /// After the gRPC attempt failed: the failure to throw, or null when the call moves to REST
    /// (for <paramref name="reason"/>, with <paramref name="finding"/>).
    /// </summary>
    private RpcException? GrpcFailed(RpcException failure, GrpcProbeLease? lease, out FallbackReason reason, out StickyFinding? finding)
    {
        reason = FallbackReason.None;
        finding = null;

        // The caller's own cancellation says nothing of gRPC: it surfaces as the channel made it,
        // and a probe lease, disposed unreported, hands the probing on.
        if (CallerCancelled)
        {
            return Rethrown(failure);
        }

        // Nor does the caller disposing the call: gRPC did not answer, so a probe reports nothing
        // (it would close the window as if gRPC had served), and the call never moves to REST.
        if (Disposed)
        {
            return Rethrown(Guarded(failure));
        }

        GrpcNotServedVerdict? classified = GrpcFailureClassifier.Classify(failure, callerCancelled: false);
        if (classified is null)
        {
            // An answer from the service (gRPC serves), or the deadline (no verdict; a probe renews the window).
            if (failure.StatusCode == StatusCode.DeadlineExceeded)
            {
                lease?.ReportTimedOut();
            }
            else
            {
                ReportServed(lease);
            }

            return Rethrown(Guarded(failure));
        }

        GrpcNotServedVerdict verdict = classified.Value;
        string detail = GrpcFailureClassifier.Describe(failure, _invoker.KnownSecrets?.Invoke());
        if (DeadlinePassed())
        {
            // A failure after the deadline proves nothing about gRPC, and REST has no time left.
            lease?.ReportTimedOut();
            var deadline = new RpcException(new Status(StatusCode.DeadlineExceeded, $"The deadline of {_method.FullName} passed; gRPC then failed with: {detail}"));
            return Rethrown(Guarded(Own(verdict.RequestMayHaveActed ? deadline : DeliveryEvidence.MarkNotDelivered(deadline))));
        }

        StickyScope scope = NotServedScope.Of(verdict, failure);
        finding = new StickyFinding(verdict.Reason, detail);
        if (verdict.OpensStickyWindow)
        {
            _invoker.Gate.Open(scope, _method.FullName, finding);
            lease?.ReportNotServed(scope);
        }

        if (verdict.RequestMayHaveActed && !_safeToRepeat)
        {
            // gRPC is not served here, but this request may have been executed before that showed:
            // REST must not execute it a second time.
            return Own(new VaultOutcomeUnknownException(_method.Name, failure));
        }

        _invoker.Instruments.Fallbacks.Add(1, new KeyValuePair<string, object?>("vaultgrpc.fallback", verdict.Reason.ToString()));
        Log.FallingBackToRest(_invoker.Logger, _method.Name, verdict.Reason, detail, verdict.OpensStickyWindow ? _invoker.StickyRestWindow.TotalSeconds : 0);
        reason = verdict.Reason;
        return null;
    }

    private void ReportServed(GrpcProbeLease? lease)
    {
        if (lease is not null)
        {
            lease.ReportServed();
            Log.GrpcRestored(_invoker.Logger, _method.Name);
        }
    }

    /// <summary>After the REST attempt failed: the failure to throw.</summary>
    private RpcException RestFailed(RpcException failure, StickyFinding grpcFinding, bool grpcTried)
    {
        if (CallerCancelled)
        {
            return Rethrown(failure);
        }

        if (failure.StatusCode == StatusCode.Unimplemented && grpcFinding.Reason == FallbackReason.GrpcUnimplemented)
        {
            // Neither transport has the method: say so, and spare later calls both round trips.
            var notSupported = new Status(
                StatusCode.Unimplemented,
                $"{_method.FullName} is not served over gRPC nor REST (both were tried{(grpcTried ? string.Empty : " within the sticky window")}): gRPC said {grpcFinding.Detail}; REST said {GrpcFailureClassifier.Describe(failure, _invoker.KnownSecrets?.Invoke())}");
            _invoker.Gate.Open(StickyScope.Method, _method.FullName, grpcFinding with { NotSupported = notSupported });
            return Own(new RpcException(notSupported, failure.Trailers));
        }

        return Rethrown(Guarded(failure));
    }

    // Rethrows an attempt's failure with its original stack trace (or throws one of ours).
    private static RpcException Rethrown(RpcException failure)
    {
        ExceptionDispatchInfo.Throw(failure);
        return failure;
    }

    // A method that is not safe to repeat whose failure leaves open whether it acted: say so.
    private RpcException Guarded(RpcException failure) =>
        !_safeToRepeat && !CallerCancelled && OutcomeGuard.LeavesOutcomeOpen(failure)
            ? Own(new VaultOutcomeUnknownException(_method.Name, failure))
            : failure;

    private bool DeadlinePassed() =>
        _options.Deadline is DateTime deadline && deadline != DateTime.MaxValue
        && _invoker.TimeProvider.GetUtcNow().UtcDateTime >= deadline.ToUniversalTime();

    private AsyncUnaryCall<TResponse> StartAttempt(CallInvoker invoker, Transport transport)
    {
        AsyncUnaryCall<TResponse>? previous;
        AsyncUnaryCall<TResponse> attempt;
        lock (Sync)
        {
            if (_disposed)
            {
                // As Grpc.Net.Client reports a call disposed before it completed.
                throw Own(new RpcException(new Status(StatusCode.Cancelled, "gRPC call disposed.")));
            }

            previous = _current;
            attempt = invoker.AsyncUnaryCall(_method, _host, _options, _request);
            _current = attempt;
            _answeredBy = transport;
        }

        previous?.Dispose();
        return attempt;
    }

    // A failure this invoker made (not an attempt's): status and trailers come from it.
    private RpcException Own(RpcException failure)
    {
        Volatile.Write(ref _ownFailure, failure);
        return failure;
    }

    private Task<Metadata> Headers()
    {
        Task<Metadata>? headers = Volatile.Read(ref _headers);
        if (headers is null)
        {
            Interlocked.CompareExchange(ref _headers, HeadersAsync(), null);
            headers = _headers!;
        }

        return headers;
    }

    // Once the call settled on a transport: that attempt's headers, plus which transport and why.
    private async Task<Metadata> HeadersAsync()
    {
        await ((Task)_response!).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        AsyncUnaryCall<TResponse>? attempt;
        lock (Sync)
        {
            attempt = _current;
        }

        if (attempt is null)
        {
            // Answered without a round trip: there are no response headers, as for a call that failed before any.
            await _response!.ConfigureAwait(false);
        }

        Metadata received = await attempt!.ResponseHeadersAsync.ConfigureAwait(false);
        var headers = new Metadata();
        foreach (Metadata.Entry entry in received)
        {
            headers.Add(entry);
        }

        headers.Add(FallbackCallInvoker.TransportHeader, TransportHeaderValue.For(_answeredBy!.Value, _fallback));
        return headers;
    }

    private Status GetStatus()
    {
        if (_response is not { IsCompleted: true })
        {
            throw new InvalidOperationException("Unable to get the status because the call is not complete.");
        }

        return Volatile.Read(ref _ownFailure) is { } own ? own.Status : CurrentAttempt().GetStatus();
    }

    private Metadata GetTrailers()
    {
        if (_response is not { IsCompleted: true })
        {
            throw new InvalidOperationException("Can't get the call trailers because the call has not completed successfully.");
        }

        return Volatile.Read(ref _ownFailure) is { } own ? own.Trailers : CurrentAttempt().GetTrailers();
    }

    private AsyncUnaryCall<TResponse> CurrentAttempt()
    {
        lock (Sync)
        {
            return _current ?? throw new InvalidOperationException("The call made no attempt.");
        }
    }

    private void Dispose()
    {
        AsyncUnaryCall<TResponse>? attempt;
        lock (Sync)
        {
            _disposed = true;
            attempt = _current;
        }

        attempt?.Dispose();
    }
}
