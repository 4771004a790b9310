using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.Delivery;
using VaultGrpc.Internal.Fallback;
using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.Internal.Retry;
using VaultGrpc.Internal.Telemetry;
using VaultGrpc.Internal.Waiting;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Internal;

/// <summary>
/// Runs facade calls: caller → retry policy → transport choice (mode, sticky window, fallback) →
/// transport. Knows nothing of HTTP or protobuf encoding: the gRPC transport says when it could
/// not serve (<see cref="GrpcNotServedException"/>), and this class acts on that.
/// </summary>
internal sealed class OperationsInvoker : IDisposable
{
    private readonly VaultOperationsClientOptions _options;
    private readonly IOperationsTransport? _grpc;
    private readonly IOperationsTransport? _rest;
    private readonly StickyRestGate _gate;
    private readonly RetryPolicy _retry;
    private readonly ILogger _logger;
    private readonly OperationWaiter _waiter;

    /// <summary>Builds the transports the options' mode needs.</summary>
    public OperationsInvoker(VaultOperationsClientOptions options)
        : this(options, new AccessTokenSource(options.Credentials))
    {
    }

    // Both transports share one token source, so that ADC resolves once per client.
    private OperationsInvoker(VaultOperationsClientOptions options, AccessTokenSource tokens)
        : this(options, CreateGrpc(options, tokens), CreateRest(options, tokens))
    {
    }

    /// <summary>Over given transports (tests); a transport the mode does not use may be null.</summary>
    internal OperationsInvoker(VaultOperationsClientOptions options, IOperationsTransport? grpc, IOperationsTransport? rest)
    {
        _options = options;
        _grpc = grpc;
        _rest = rest;
        _logger = RedactingLoggerFactory.Wrap(options.LoggerFactory)?.CreateLogger("VaultGrpc.VaultOperationsClient") ?? NullLogger.Instance;
        _gate = new StickyRestGate(options.StickyRestWindow, options.TimeProvider);
        _retry = new RetryPolicy(options.Retry, options.TimeProvider, _logger);
        _waiter = new OperationWaiter(this, options, grpc as IWaitOperationTransport, _logger);
    }

    public VaultTransportStatus TransportStatus => _gate.Status;

    internal StickyRestGate Gate => _gate;

    /// <summary>A call without a response message (Cancel, Delete).</summary>
    public async Task<VaultCallInfo> InvokeAsync(
        RpcMethod method, string name, Func<IOperationsTransport, string, CallScope, Task> call, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        VaultResponse<bool> response = await InvokeAsync(
            method,
            (call, name),
            static async (transport, state, scope) =>
            {
                await state.call(transport, state.name, scope).ConfigureAwait(false);
                return true;
            },
            timeout,
            cancellationToken).ConfigureAwait(false);
        return response.Call;
    }

    /// <summary>A call with a response message.</summary>
    public Task<VaultResponse<TResult>> InvokeAsync<TRequest, TResult>(
        RpcMethod method, TRequest request, Func<IOperationsTransport, TRequest, CallScope, Task<TResult>> call, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var progress = new CallProgress(method, DeadlineAfter(timeout ?? _options.DefaultTimeout));
        return RunAsync(
            progress,
            (invoker: this, request, call),
            static (p, s, ct) => s.invoker.AttemptWithFallbackAsync(p, s.request, s.call, ct),
            cancellationToken);
    }

    /// <summary>Waits for an operation: WaitOperation over gRPC while it is served, else GetOperation polls.</summary>
    public Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan? waitTimeout, CancellationToken cancellationToken)
        => _waiter.WaitAsync(name, waitTimeout ?? _options.DefaultWaitTimeout, cancellationToken);

    /// <summary>Runs one call's attempts under the retry policy, with its activity and metrics.</summary>
    internal async Task<VaultResponse<T>> RunAsync<T, TState>(
        CallProgress progress, TState state, Func<CallProgress, TState, CancellationToken, Task<Served<T>>> attempt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Activity? activity = VaultTelemetry.StartCall(progress.Method);
        long started = _options.TimeProvider.GetTimestamp();
        VaultCallInfo? info = null;
        StatusCode status = StatusCode.Unknown;
        try
        {
            Served<T> served = await _retry.ExecuteAsync(attempt, state, progress, cancellationToken).ConfigureAwait(false);
            info = new VaultCallInfo(served.Transport, served.Fallback, served.FallbackDetail, progress.Attempts);
            status = StatusCode.OK;
            return new VaultResponse<T>(served.Value, info);
        }
        catch (RpcException error) when (cancellationToken.IsCancellationRequested)
        {
            // The caller's token fired (perhaps between a failed attempt and its retry): the caller
            // sees its own cancellation, as grpc-dotnet reports it, whatever the last attempt said.
            status = StatusCode.Cancelled;
            throw new OperationCanceledException("The call was cancelled by the caller.", error, cancellationToken);
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
            VaultTelemetry.EndCall(activity, progress.Method, info, status, _options.TimeProvider.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// One attempt: the transport the mode and the sticky window choose, and REST if gRPC cannot
    /// serve. A method that is not safe to repeat whose attempt may have acted ends the call here
    /// (<see cref="VaultOutcomeUnknownException"/>): neither the retry policy nor REST sees it again.
    /// </summary>
    internal Task<Served<TResult>> AttemptWithFallbackAsync<TRequest, TResult>(
        CallProgress progress, TRequest request, Func<IOperationsTransport, TRequest, CallScope, Task<TResult>> call, CancellationToken cancellationToken) =>
        OutcomeGuard.IsSafeToRepeat(progress.Method)
            ? AttemptAsync(progress, request, call, cancellationToken)
            : AttemptGuardedAsync(progress, request, call, cancellationToken);

    private async Task<Served<TResult>> AttemptGuardedAsync<TRequest, TResult>(
        CallProgress progress, TRequest request, Func<IOperationsTransport, TRequest, CallScope, Task<TResult>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await AttemptAsync(progress, request, call, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException error) when (!cancellationToken.IsCancellationRequested && OutcomeGuard.LeavesOutcomeOpen(error))
        {
            Log.OutcomeUnknown(_logger, VaultTelemetry.MethodName(progress.Method), error.StatusCode, progress.Attempts);
            throw OutcomeGuard.Unknown(progress.Method, error);
        }
    }

    private async Task<Served<TResult>> AttemptAsync<TRequest, TResult>(
        CallProgress progress, TRequest request, Func<IOperationsTransport, TRequest, CallScope, Task<TResult>> call, CancellationToken cancellationToken)
    {
        CallScope scope = ScopeFor(progress, cancellationToken);
        switch (_options.TransportMode)
        {
            case TransportMode.RestOnly:
                return new(await call(_rest!, request, scope).ConfigureAwait(false), Transport.Rest, FallbackReason.None, null);
            case TransportMode.GrpcOnly:
                try
                {
                    return new(await call(_grpc!, request, scope).ConfigureAwait(false), Transport.Grpc, FallbackReason.None, null);
                }
                catch (GrpcNotServedException notServed)
                {
                    throw notServed.RequestMayHaveActed ? notServed.RpcException : DeliveryEvidence.MarkNotDelivered(notServed.RpcException);
                }
        }

        TransportRoute route = _gate.Choose();
        if (route == TransportRoute.RestSticky)
        {
            TResult viaRest = await call(_rest!, request, scope).ConfigureAwait(false);
            return new(viaRest, Transport.Rest, FallbackReason.StickyRest, _gate.Last?.Detail);
        }

        if (route == TransportRoute.GrpcProbe)
        {
            Log.ProbingGrpc(_logger, VaultTelemetry.MethodName(progress.Method));
        }

        GrpcNotServedException? notServedByGrpc;
        try
        {
            TResult viaGrpc = await call(_grpc!, request, scope).ConfigureAwait(false);
            ReportServed(route, progress.Method);
            return new(viaGrpc, Transport.Grpc, FallbackReason.None, null);
        }
        catch (GrpcNotServedException late) when (DeadlinePassed(progress))
        {
            // A failure that arrives after the deadline proves nothing about gRPC (a proxy may
            // answer a call its client already gave up on), and REST has no time left either.
            _gate.ReportTimedOut(route);
            var deadline = new RpcException(new Status(StatusCode.DeadlineExceeded, $"The deadline of {VaultTelemetry.MethodName(progress.Method)} passed; gRPC then failed with: {late.Detail}"));
            throw late.RequestMayHaveActed ? deadline : DeliveryEvidence.MarkNotDelivered(deadline);
        }
        catch (GrpcNotServedException notServed)
        {
            notServedByGrpc = notServed;
        }
        catch (RpcException answered) when (answered.StatusCode != StatusCode.DeadlineExceeded)
        {
            // The service itself answered: gRPC serves, whatever the answer was.
            ReportServed(route, progress.Method);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up: that says nothing of gRPC, so the next call probes instead.
            _gate.ReleaseProbe(route);
            throw;
        }
        catch
        {
            // DeadlineExceeded, or anything unforeseen: no verdict, and a probe renews the window.
            _gate.ReportTimedOut(route);
            throw;
        }

        string detail = notServedByGrpc.Detail;
        if (notServedByGrpc.OpensStickyWindow)
        {
            _gate.ReportNotServed(route, notServedByGrpc.Reason, detail);
        }
        else
        {
            _gate.ReleaseProbe(route);
        }

        if (notServedByGrpc.RequestMayHaveActed && !OutcomeGuard.IsSafeToRepeat(progress.Method))
        {
            // gRPC is not served here, but this request may have been executed before that showed
            // (a gateway's 503, a reset after it went out): REST must not execute it a second time.
            throw notServedByGrpc.RpcException;
        }

        VaultTelemetry.Fallbacks.Add(1, new KeyValuePair<string, object?>("vaultgrpc.fallback", notServedByGrpc.Reason.ToString()));
        Log.FallingBackToRest(_logger, VaultTelemetry.MethodName(progress.Method), notServedByGrpc.Reason, detail, notServedByGrpc.OpensStickyWindow ? _options.StickyRestWindow.TotalSeconds : 0);
        TResult fallenBack = await call(_rest!, request, scope).ConfigureAwait(false);
        return new(fallenBack, Transport.Rest, notServedByGrpc.Reason, detail);
    }

    /// <summary>The scope of one attempt; throws DeadlineExceeded if the call's deadline already passed.</summary>
    internal CallScope ScopeFor(CallProgress progress, CancellationToken cancellationToken)
    {
        if (DeadlinePassed(progress))
        {
            // Nothing of this attempt left: a method not safe to repeat is still only as open as the attempts before.
            throw DeliveryEvidence.MarkNotDelivered(new RpcException(new Status(StatusCode.DeadlineExceeded, $"The deadline of {VaultTelemetry.MethodName(progress.Method)} passed before attempt {progress.Attempts}.")));
        }

        return new CallScope(progress.Deadline, cancellationToken);
    }

    private bool DeadlinePassed(CallProgress progress) =>
        progress.Deadline is { } deadline && _options.TimeProvider.GetUtcNow().UtcDateTime >= deadline;

    /// <summary>The UTC instant <paramref name="timeout"/> from now, or null for an infinite timeout.</summary>
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

    public void Dispose()
    {
        (_grpc as IDisposable)?.Dispose();
        (_rest as IDisposable)?.Dispose();
    }

    private void ReportServed(TransportRoute route, RpcMethod method)
    {
        if (route == TransportRoute.GrpcProbe)
        {
            _gate.ReportServed(route);
            Log.GrpcRestored(_logger, VaultTelemetry.MethodName(method));
        }
    }

    private static GrpcTransport? CreateGrpc(VaultOperationsClientOptions options, AccessTokenSource tokens) =>
        options.TransportMode == TransportMode.RestOnly
            ? null
            : GrpcTransport.Create(options, tokens, ApiClientHeader.Value(options.ApiClientSuffix));

    private static RestTransport? CreateRest(VaultOperationsClientOptions options, AccessTokenSource tokens) =>
        options.TransportMode == TransportMode.GrpcOnly
            ? null
            : RestTransport.Create(options, tokens, ApiClientHeader.Value(options.ApiClientSuffix));
}
