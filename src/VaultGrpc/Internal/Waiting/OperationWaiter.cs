using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using VaultGrpc.Internal.Calls;
using VaultGrpc.Internal.Telemetry;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Internal.Waiting;

/// <summary>
/// WaitAsync, above the call layer: WaitOperation calls while gRPC serves them (Vault has no REST
/// route for it), else plain GetOperation polls with backoff over whichever transport serves Get,
/// until the operation is done, the wait times out, or the caller cancels. Each is an ordinary
/// facade call, so a poll's telemetry says GetOperation.
/// </summary>
/// <remarks>
/// The wait timeout is kept whatever the server does: a call still unanswered
/// <see cref="WaitEndGrace"/> after the wait's end (a WaitOperation that hangs, or a Get poll that
/// does) is abandoned by its deadline, and the wait returns the latest state it saw, not done. If
/// no answer came at all, that state is the operation's name alone, with the transport last tried.
/// A call that fails before the wait's end fails the wait.
/// </remarks>
internal sealed class OperationWaiter(OperationCalls calls, OperationsStack stack, VaultOperationsClientOptions options, ILogger logger)
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

    // A gRPC server that does not implement WaitOperation will not start to within a client's life:
    // remembered here, apart from the fallback's windows, so that Get keeps going over gRPC.
    private volatile bool _waitOperationUnimplemented;

    public async Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan waitTimeout, CancellationToken cancellationToken)
    {
        TimeProvider time = options.TimeProvider;
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset waitEnd = waitTimeout >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + waitTimeout;
        TimeSpan pause = options.WaitPollInitialDelay;
        VaultResponse<Operation>? latest = null;
        var trace = new CallTrace();

        while (CanUseWaitOperation())
        {
            DateTimeOffset asked = time.GetUtcNow();
            TimeSpan requested = Max(Min(waitEnd - asked, MaxWaitPerCall), TimeSpan.Zero);
            VaultResponse<Operation> waited;
            try
            {
                waited = await calls.InvokeAsync(
                    RpcMethod.Wait,
                    new WaitOperationRequest { Name = name, Timeout = Duration.FromTimeSpan(requested) },
                    name,
                    static (stub, request, callOptions) => stub.WaitOperationAsync(request, callOptions),
                    requested + Grace(),
                    cancellationToken,
                    trace).ConfigureAwait(false);
            }
            catch (RpcException error) when (WaitIsOver(error, waitEnd))
            {
                // No answer by the wait's end: the wait is over, not failed.
                return latest ?? NothingSeen(name, new VaultCallInfo(Transport.Grpc, FallbackReason.None, null, 1));
            }
            catch (RpcException error) when (WaitOperationNotServed(error, trace))
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

    /// <summary>
    /// Whether WaitOperation could not be served, so polling takes over: UNIMPLEMENTED (from a gRPC
    /// server, remembered; or from REST, which has no route for it, after gRPC could not serve).
    /// </summary>
    private bool WaitOperationNotServed(RpcException error, CallTrace trace)
    {
        if (error.StatusCode != StatusCode.Unimplemented)
        {
            return false;
        }

        // Remembered only when gRPC said so of this method: a server without the whole service, or
        // a front's 404, is the channel's finding, and WaitOperation returns with gRPC.
        bool aboutThisMethod = stack.Fallback is null || !stack.Fallback.Gate.Channel.IsOpen;
        if ((trace.Transport == Transport.Grpc || trace.Fallback == FallbackReason.GrpcUnimplemented) && aboutThisMethod)
        {
            _waitOperationUnimplemented = true;
            Log.WaitOperationNotServed(logger, error.Status.Detail);
        }

        return true;
    }

    /// <summary><see cref="WaitEndGrace"/>, or the per-call timeout when that is shorter.</summary>
    private TimeSpan Grace() =>
        options.DefaultTimeout == Timeout.InfiniteTimeSpan ? WaitEndGrace : Min(options.DefaultTimeout, WaitEndGrace);

    // WaitOperation never probes, and is not sent where gRPC is known not to serve: the polls that
    // replace it do the probing (a long-poll must not hold the one probe for minutes).
    private bool CanUseWaitOperation() =>
        !_waitOperationUnimplemented
        && options.TransportMode != TransportMode.RestOnly
        && (stack.Fallback is null || stack.Fallback.GrpcIsClear(OperationsStack.WaitOperationMethod));

    private async Task<VaultResponse<Operation>> PollAsync(string name, DateTimeOffset waitEnd, VaultResponse<Operation>? latest, CancellationToken cancellationToken)
    {
        TimeProvider time = options.TimeProvider;
        TimeSpan delay = options.WaitPollInitialDelay;
        var trace = new CallTrace();
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
                polled = await calls.InvokeAsync(
                    RpcMethod.Get,
                    new GetOperationRequest { Name = name },
                    name,
                    static (stub, request, callOptions) => stub.GetOperationAsync(request, callOptions),
                    callTimeout,
                    cancellationToken,
                    trace).ConfigureAwait(false);
            }
            catch (RpcException error) when (WaitIsOver(error, waitEnd))
            {
                return latest ?? NothingSeen(name, NothingSeenOver(trace));
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

    /// <summary>How an unanswered poll is reported: the transport last tried, and why it went there.</summary>
    private VaultCallInfo NothingSeenOver(CallTrace trace) =>
        new(trace.Transport ?? (options.TransportMode == TransportMode.RestOnly ? Transport.Rest : Transport.Grpc), trace.Fallback, trace.FallbackDetail, 1);

    private TimeSpan NextPause(TimeSpan pause) =>
        Min(TimeSpan.FromTicks((long)(pause.Ticks * PollBackoffMultiplier)), options.WaitPollMaxDelay);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
