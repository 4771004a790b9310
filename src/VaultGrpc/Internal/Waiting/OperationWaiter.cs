using Google.LongRunning;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using VaultGrpc.Internal.Fallback;
using VaultGrpc.Internal.Retry;
using VaultGrpc.Internal.Telemetry;

namespace VaultGrpc.Internal.Waiting;

/// <summary>
/// WaitAsync: WaitOperation over gRPC while it is served (Vault has no REST route for it), else
/// GetOperation polls with backoff, over whichever transport serves Get, until the operation is
/// done, the wait times out, or the caller cancels.
/// </summary>
internal sealed class OperationWaiter(
    OperationsInvoker invoker, VaultOperationsClientOptions options, IWaitOperationTransport? grpcWait, ILogger logger)
{
    private const double PollBackoffMultiplier = 1.5;

    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(10);

    // WaitOperation alone can be unimplemented while the other methods are served: remember it
    // apart from the sticky window, so that Get keeps going over gRPC.
    private volatile bool _waitOperationUnimplemented;

    public async Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan waitTimeout, CancellationToken cancellationToken)
    {
        TimeProvider time = options.TimeProvider;
        DateTimeOffset waitEnd = time.GetUtcNow() + waitTimeout;

        while (CanUseWaitOperation())
        {
            TimeSpan remaining = waitEnd - time.GetUtcNow();
            VaultResponse<Operation>? waited = await TryWaitOperationAsync(name, remaining, cancellationToken).ConfigureAwait(false);
            if (waited is null)
            {
                break;
            }

            if (waited.Value.Done || time.GetUtcNow() >= waitEnd)
            {
                return waited;
            }
        }

        return await PollAsync(name, waitEnd, cancellationToken).ConfigureAwait(false);
    }

    private bool CanUseWaitOperation() =>
        grpcWait is not null && !_waitOperationUnimplemented && options.TransportMode != TransportMode.RestOnly;

    /// <summary>One WaitOperation call; null when gRPC cannot serve it and polling must take over.</summary>
    private async Task<VaultResponse<Operation>?> TryWaitOperationAsync(string name, TimeSpan remaining, CancellationToken cancellationToken)
    {
        if (remaining < TimeSpan.Zero)
        {
            remaining = TimeSpan.Zero;
        }

        // The server returns at the wait timeout; the deadline leaves it room to answer.
        TimeSpan grace = options.DefaultTimeout == Timeout.InfiniteTimeSpan ? AnswerGrace : Min(options.DefaultTimeout, AnswerGrace);
        TimeSpan deadlineAfter = remaining + grace;
        var progress = new CallProgress(RpcMethod.Wait, invoker.DeadlineAfter(deadlineAfter));
        try
        {
            return await invoker.RunAsync(
                progress,
                (waiter: this, name, remaining),
                static (p, s, ct) => s.waiter.AttemptWaitOperationAsync(p, s.name, s.remaining, ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (GrpcNotServedException notServed)
        {
            string detail = FallbackDetail.Describe(notServed.RpcException);
            if (notServed.Reason == FallbackReason.GrpcUnimplemented)
            {
                _waitOperationUnimplemented = true;
                Log.WaitOperationNotServed(logger, detail);
            }
            else if (options.TransportMode == TransportMode.GrpcOnly)
            {
                throw notServed.RpcException;
            }

            return null;
        }
    }

    private async Task<Served<Operation>> AttemptWaitOperationAsync(CallProgress progress, string name, TimeSpan remaining, CancellationToken cancellationToken)
    {
        CallScope scope = invoker.ScopeFor(progress, cancellationToken);
        StickyRestGate gate = invoker.Gate;
        TransportRoute route = options.TransportMode == TransportMode.Auto ? gate.Choose() : TransportRoute.Grpc;
        if (route == TransportRoute.RestSticky)
        {
            // gRPC is known not to serve: no WaitOperation call at all; the caller polls instead.
            throw new GrpcNotServedException(FallbackReason.StickyRest, new RpcException(new Status(StatusCode.Unavailable, "gRPC is in its sticky REST window.")));
        }

        try
        {
            Operation operation = await grpcWait!.WaitAsync(name, remaining, scope).ConfigureAwait(false);
            gate.ReportServed(route);
            return new(operation, Transport.Grpc, FallbackReason.None, null);
        }
        catch (GrpcNotServedException notServed)
        {
            if (notServed.Reason == FallbackReason.GrpcUnimplemented)
            {
                // Only WaitOperation is known missing; say nothing about the other methods.
                gate.ReportServed(route);
            }
            else
            {
                gate.ReportNotServed(route, notServed.Reason, FallbackDetail.Describe(notServed.RpcException));
            }

            throw;
        }
        catch (RpcException answered) when (answered.StatusCode != StatusCode.DeadlineExceeded)
        {
            gate.ReportServed(route);
            throw;
        }
        catch
        {
            gate.ReportNoVerdict(route);
            throw;
        }
    }

    private async Task<VaultResponse<Operation>> PollAsync(string name, DateTimeOffset waitEnd, CancellationToken cancellationToken)
    {
        TimeProvider time = options.TimeProvider;
        TimeSpan delay = options.WaitPollInitialDelay;
        while (true)
        {
            TimeSpan remaining = waitEnd - time.GetUtcNow();
            TimeSpan callTimeout = options.DefaultTimeout == Timeout.InfiniteTimeSpan || remaining < options.DefaultTimeout
                ? Max(remaining, TimeSpan.FromSeconds(1))
                : options.DefaultTimeout;
            VaultResponse<Operation> polled = await invoker.InvokeAsync(
                RpcMethod.Get, name, static (t, n, s) => t.GetAsync(n, s), callTimeout, cancellationToken).ConfigureAwait(false);

            remaining = waitEnd - time.GetUtcNow();
            if (polled.Value.Done || remaining <= TimeSpan.Zero)
            {
                return polled;
            }

            await Task.Delay(Min(delay, remaining), time, cancellationToken).ConfigureAwait(false);
            delay = Min(TimeSpan.FromTicks((long)(delay.Ticks * PollBackoffMultiplier)), options.WaitPollMaxDelay);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
