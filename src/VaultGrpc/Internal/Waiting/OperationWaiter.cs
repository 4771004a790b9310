using Grpc.Core;
using Microsoft.Extensions.Logging;
using VaultGrpc.Internal.Fallback;
using VaultGrpc.Internal.Retry;
using VaultGrpc.Internal.Telemetry;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Internal.Waiting;

/// <summary>
/// WaitAsync: WaitOperation over gRPC while it is served (Vault has no REST route for it), else
/// GetOperation polls with backoff, over whichever transport serves Get, until the operation is
/// done, the wait times out, or the caller cancels.
/// </summary>
/// <remarks>
/// The wait timeout is kept whatever the server does: a call still unanswered
/// <see cref="WaitEndGrace"/> after the wait's end (a WaitOperation that hangs, or a Get poll that
/// does) is abandoned by its deadline, and the wait returns the latest state it saw, not done. If
/// no answer came at all, that state is the operation's name alone, with the transport last tried.
/// A call that fails before the wait's end fails the wait, as before.
/// </remarks>
internal sealed class OperationWaiter(
    OperationsInvoker invoker, VaultOperationsClientOptions options, IWaitOperationTransport? grpcWait, ILogger logger)
{
    private const double PollBackoffMultiplier = 1.5;

    // How long after the wait's end a call may still answer: a server answering WaitOperation at
    // the time asked for, or a poll made at the end, needs a moment for its answer to arrive.
    // Past it the call is abandoned, so a wait never overruns its timeout by more than this.
    private static readonly TimeSpan WaitEndGrace = TimeSpan.FromMilliseconds(500);

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
        VaultResponse<Operation>? latest = null;

        while (CanUseWaitOperation())
        {
            DateTimeOffset asked = time.GetUtcNow();
            TimeSpan remaining = waitEnd - asked;
            TimeSpan requested = Min(remaining, MaxWaitPerCall);
            var progress = new CallProgress(RpcMethod.Wait, invoker.DeadlineAfter(Max(requested, TimeSpan.Zero) + Grace()));
            VaultResponse<Operation>? waited;
            try
            {
                waited = await TryWaitOperationAsync(name, requested, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException error) when (WaitIsOver(error, waitEnd))
            {
                // No answer by the wait's end: the wait is over, not failed.
                return latest ?? NothingSeen(name, new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, progress.Attempts));
            }

            if (waited is null)
            {
                break;
            }

            latest = waited;
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

        return await PollAsync(name, waitEnd, latest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state reported when no call answered before the wait ran out: the name alone, not done.</summary>
    private static VaultResponse<Operation> NothingSeen(string name, VaultCallInfo call) => new(new Operation { Name = name, Done = false }, call);

    /// <summary>Whether <paramref name="error"/> is a call abandoned at (or after) the wait's end, which ends the wait without failing it.</summary>
    private bool WaitIsOver(RpcException error, DateTimeOffset waitEnd) =>
        error.StatusCode == StatusCode.DeadlineExceeded && options.TimeProvider.GetUtcNow() >= waitEnd;

    /// <summary><see cref="WaitEndGrace"/>, or the per-call timeout when that is shorter.</summary>
    private TimeSpan Grace() =>
        options.DefaultTimeout == Timeout.InfiniteTimeSpan ? WaitEndGrace : Min(options.DefaultTimeout, WaitEndGrace);

    private bool CanUseWaitOperation() =>
        grpcWait is not null && !_waitOperationUnimplemented && options.TransportMode != TransportMode.RestOnly;

    /// <summary>
    /// One WaitOperation call asking the server to wait <paramref name="remaining"/>, under
    /// <paramref name="progress"/>'s deadline (a grace later, so that the server has room to answer);
    /// null when gRPC cannot serve it and polling must take over.
    /// </summary>
    private async Task<VaultResponse<Operation>?> TryWaitOperationAsync(string name, TimeSpan remaining, CallProgress progress, CancellationToken cancellationToken)
    {
        if (remaining < TimeSpan.Zero)
        {
            remaining = TimeSpan.Zero;
        }

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

    private async Task<VaultResponse<Operation>> PollAsync(string name, DateTimeOffset waitEnd, VaultResponse<Operation>? latest, CancellationToken cancellationToken)
    {
        TimeProvider time = options.TimeProvider;
        TimeSpan delay = options.WaitPollInitialDelay;
        Transport lastTried = options.TransportMode == TransportMode.RestOnly ? Transport.Rest : Transport.Grpc;
        while (true)
        {
            // A poll may run past the wait's end by the grace at most (and by no more than a call's timeout).
            TimeSpan untilWaitEnd = Max(waitEnd - time.GetUtcNow(), TimeSpan.Zero) + Grace();
            TimeSpan callTimeout = options.DefaultTimeout == Timeout.InfiniteTimeSpan || untilWaitEnd < options.DefaultTimeout
                ? untilWaitEnd
                : options.DefaultTimeout;
            VaultResponse<Operation> polled;
            try
            {
                polled = await invoker.InvokeAsync(
                    RpcMethod.Get,
                    name,
                    (t, n, s) =>
                    {
                        lastTried = t.Kind;
                        return t.GetAsync(n, s);
                    },
                    callTimeout,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException error) when (WaitIsOver(error, waitEnd))
            {
                return latest ?? NothingSeen(name, NothingSeenOver(lastTried));
            }

            latest = polled;
            TimeSpan remaining = waitEnd - time.GetUtcNow();
            if (polled.Value.Done || remaining <= TimeSpan.Zero)
            {
                return polled;
            }

            await Task.Delay(Min(delay, remaining), time, cancellationToken).ConfigureAwait(false);
            delay = NextPause(delay);
        }
    }

    /// <summary>How an unanswered poll is reported: the transport last tried, and over REST in Auto mode the sticky window's reason.</summary>
    private VaultCallInfo NothingSeenOver(Transport lastTried) =>
        lastTried == Transport.Rest && options.TransportMode == TransportMode.Auto
            ? new VaultCallInfo(Transport.Rest, FallbackReason.StickyRest, invoker.Gate.Last?.Detail, 1)
            : new VaultCallInfo(lastTried, FallbackReason.None, null, 1);

    private TimeSpan NextPause(TimeSpan pause) =>
        Min(TimeSpan.FromTicks((long)(pause.Ticks * PollBackoffMultiplier)), options.WaitPollMaxDelay);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
