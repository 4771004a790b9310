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

    // Longest wait one WaitOperation call asks for; servers cap it lower anyway. Keeps the
    // request's Duration and the call's deadline far from overflow for huge wait timeouts.
    private static readonly TimeSpan MaxWaitPerCall = TimeSpan.FromHours(1);

    // An answer this much before the time asked for counts as early.
    private static readonly TimeSpan EarlyAnswerSlack = TimeSpan.FromMilliseconds(100);

    // WaitOperation alone can be unimplemented while the other methods are served: remember it
    // apart from the sticky window, so that Get keeps going over gRPC.
    private volatile bool _waitOperationUnimplemented;

    public async Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan waitTimeout, CancellationToken cancellationToken)
    {
        TimeProvider time = options.TimeProvider;
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset waitEnd = waitTimeout >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + waitTimeout;
        TimeSpan pause = options.WaitPollInitialDelay;

        while (CanUseWaitOperation())
        {
            DateTimeOffset asked = time.GetUtcNow();
            TimeSpan remaining = waitEnd - asked;
            TimeSpan requested = Min(remaining, MaxWaitPerCall);
            VaultResponse<Operation>? waited = await TryWaitOperationAsync(name, requested, cancellationToken).ConfigureAwait(false);
            if (waited is null)
            {
                break;
            }

            DateTimeOffset answered = time.GetUtcNow();
            if (waited.Value.Done || answered >= waitEnd)
            {
                return waited;
            }

            // The server may answer before the time asked for, even at once; a server that
            // treats WaitOperation as a Get must not be called in a tight loop.
            if (answered - asked < requested - EarlyAnswerSlack)
            {
                await Task.Delay(Min(pause, waitEnd - answered), time, cancellationToken).ConfigureAwait(false);
                pause = NextPause(pause);
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
            string detail = notServed.Detail;
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
        // WaitOperation never probes: the GetOperation polls that replace it do.
        TransportRoute route = options.TransportMode == TransportMode.Auto ? gate.ChooseWithoutProbing() : TransportRoute.Grpc;
        if (route == TransportRoute.RestSticky)
        {
            // gRPC is known not to serve: no WaitOperation call at all; the caller polls instead.
            const string Sticky = "gRPC is in its sticky REST window.";
            throw new GrpcNotServedException(FallbackReason.StickyRest, new RpcException(new Status(StatusCode.Unavailable, Sticky)), Sticky);
        }

        try
        {
            Operation operation = await grpcWait!.WaitAsync(name, remaining, scope).ConfigureAwait(false);
            return new(operation, Transport.Grpc, FallbackReason.None, null);
        }
        catch (GrpcNotServedException notServed) when (notServed.Reason != FallbackReason.GrpcUnimplemented)
        {
            // gRPC as a whole does not serve: open the window for every call. (WaitOperation alone
            // being unimplemented says nothing of the other methods; the caller remembers it.)
            gate.ReportNotServed(route, notServed.Reason, notServed.Detail);
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
            delay = NextPause(delay);
        }
    }

    private TimeSpan NextPause(TimeSpan pause) =>
        Min(TimeSpan.FromTicks((long)(pause.Ticks * PollBackoffMultiplier)), options.WaitPollMaxDelay);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
