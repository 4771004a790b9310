using System.Globalization;
using Grpc.Core;
using VaultGrpc.Internal.Delivery;

namespace VaultGrpc.Internal.GrpcCalls.Connections;

/// <summary>
/// Under the gRPC channel: gives each call a bounded time to get onto a working HTTP/2 connection,
/// however the network stays silent (SYNs dropped, TLS stalled, a port that never speaks HTTP/2,
/// SETTINGS never acknowledged), and records when a failed request provably never left.
/// </summary>
/// <remarks>
/// While the channel has a working connection, calls pass straight through: the budget is only
/// armed, and the request message only held back (until the server acknowledges our SETTINGS), while
/// no connection is known to work. The budget of a call is the smaller of the configured budget and
/// half the time its deadline leaves, so that REST keeps time to serve. When it runs out, the call
/// ends UNAVAILABLE; its message never left, so it is marked undelivered and any method may move to
/// REST. (Only where the connection cannot be observed, or another connection acknowledged in the
/// meantime, can a message have left: then only methods that are safe to repeat move.)
/// </remarks>
internal sealed class ConnectionBudgetHandler : DelegatingHandler
{
    private const string GrpcTimeoutHeader = "grpc-timeout";

    private readonly TimeSpan _budget;
    private readonly Http2ConnectionWatch? _watch;
    private readonly TimeProvider _timeProvider;
    private readonly bool _ownsInner;

    /// <param name="inner">The handler that makes connections.</param>
    /// <param name="budget">The longest time a call waits for a working connection.</param>
    /// <param name="watch">Tells whether a working connection exists; null when the inner handler's connections cannot be observed.</param>
    /// <param name="timeProvider">Times the budget.</param>
    /// <param name="ownsInner">Whether disposing this handler disposes <paramref name="inner"/>.</param>
    public ConnectionBudgetHandler(HttpMessageHandler inner, TimeSpan budget, Http2ConnectionWatch? watch, TimeProvider timeProvider, bool ownsInner)
        : base(inner)
    {
        _budget = budget;
        _watch = watch;
        _timeProvider = timeProvider;
        _ownsInner = ownsInner;
    }

    /// <summary>What watches the inner handler's connections; null when they cannot be observed.</summary>
    public Http2ConnectionWatch? Watch => _watch;

    /// <summary>The budget handler in <paramref name="handler"/>'s chain of delegating handlers, or null when it has none.</summary>
    public static ConnectionBudgetHandler? FindIn(HttpMessageHandler? handler) =>
        HandlerChain.Of(handler).OfType<ConnectionBudgetHandler>().FirstOrDefault();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = _watch is { HasWorkingConnection: true }
            ? await base.SendAsync(request, cancellationToken).ConfigureAwait(false)
            : await SendGuardedAsync(request, cancellationToken).ConfigureAwait(false);
        TrailersOnlyStatusDetails.DropIfUndecodable(response);
        return response;
    }

    protected override void Dispose(bool disposing)
    {
        // A caller's handler stays the caller's: DelegatingHandler would dispose it with us.
        if (_ownsInner)
        {
            base.Dispose(disposing);
        }
    }

    private async Task<HttpResponseMessage> SendGuardedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        long acknowledgementsAtStart = _watch?.Acknowledgements ?? 0;
        Http2ConnectionWatch? watch = _watch;
        DeliveryTrackingContent? content = request.Content is { } original
            ? new DeliveryTrackingContent(original, watch is null ? null : token => watch.WhenWorkingAsync(acknowledgementsAtStart, token))
            : null;
        if (content is not null)
        {
            request.Content = content;
        }

        TimeSpan budget = BudgetFor(request);
        using var guard = new BudgetGuard(content, _watch, cancellationToken);
        using ITimer timer = _timeProvider.CreateTimer(static state => ((BudgetGuard)state!).OnBudgetSpent(), guard, budget, Timeout.InfiniteTimeSpan);
        try
        {
            return await base.SendAsync(request, guard.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested && (guard.Expired || IsConnectTimeout(error)))
        {
            // Our budget, or SocketsHttpHandler's ConnectTimeout (set to the same budget), whichever fired first.
            bool started = content?.Started ?? false;
            string what = started
                ? "the request went out on a connection whose server never acknowledged our HTTP/2 settings"
                : "the request never left: no connection was ready";
            var cause = new ConnectionBudgetExpiredException(
                $"No working HTTP/2 connection to {request.RequestUri?.Authority} within the gRPC connection budget of {budget.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s; {what}.",
                started,
                fullBudget: budget >= _budget);
            if (!started)
            {
                DeliveryEvidence.MarkNotDelivered(cause);
            }

            throw new RpcException(new Status(StatusCode.Unavailable, cause.Message, cause));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && content is { Started: false })
        {
            // The HTTP stack cancelled the message we were holding: its connection ended before the
            // server spoke HTTP/2. Say why, as an HTTP/2 failure, not as a cancellation.
            Http2HandshakeFailure failure = _watch?.LastHandshakeFailure
                ?? new Http2HandshakeFailure("the connection ended before the server acknowledged our HTTP/2 settings", Http2HandshakeFailure.ProtocolError);
            string message = $"The gRPC connection to {request.RequestUri?.Authority} failed: {failure.Description}.";
            throw DeliveryEvidence.MarkNotDelivered(new HttpRequestException(
                HttpRequestError.HttpProtocolError, message, new HttpProtocolException(failure.Http2ErrorCode, message, null)));
        }
        catch (Exception error) when (NeverReachedAServer(content))
        {
            DeliveryEvidence.MarkNotDelivered(error);
            throw;
        }
    }

    // SocketsHttpHandler reports its ConnectTimeout as a cancellation caused by a TimeoutException.
    private static bool IsConnectTimeout(Exception error)
    {
        for (Exception? cause = error; cause is not null; cause = cause.InnerException)
        {
            if (cause is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    // A request that failed was never processed if its message never left: the message is held
    // until the server acknowledges our settings, and a unary server cannot act without it.
    private static bool NeverReachedAServer(DeliveryTrackingContent? content) => content is { Started: false };

    private TimeSpan BudgetFor(HttpRequestMessage request)
    {
        if (request.Headers.TryGetValues(GrpcTimeoutHeader, out IEnumerable<string>? values)
            && TryParseGrpcTimeout(values.FirstOrDefault(), out TimeSpan timeout))
        {
            TimeSpan half = timeout / 2;
            return half < _budget ? half : _budget;
        }

        return _budget;
    }

    // gRPC over HTTP/2: TimeoutValue (at most 8 digits) then a unit, H M S m u n.
    private static bool TryParseGrpcTimeout(string? text, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(text) || text.Length < 2
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            return false;
        }

        long ticksPerUnit = text[^1] switch
        {
            'H' => TimeSpan.TicksPerHour,
            'M' => TimeSpan.TicksPerMinute,
            'S' => TimeSpan.TicksPerSecond,
            'm' => TimeSpan.TicksPerMillisecond,
            'u' => TimeSpan.TicksPerMicrosecond,
            'n' => 0,
            _ => -1,
        };
        if (ticksPerUnit < 0 || value > TimeSpan.MaxValue.Ticks / Math.Max(ticksPerUnit, 1))
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticksPerUnit == 0 ? value / 100 : value * ticksPerUnit);
        return true;
    }

    /// <summary>One guarded request: cancels it when its budget is spent and it is not on a working connection.</summary>
    private sealed class BudgetGuard(DeliveryTrackingContent? content, Http2ConnectionWatch? watch, CancellationToken callToken) : IDisposable
    {
        private readonly CancellationTokenSource _source = CancellationTokenSource.CreateLinkedTokenSource(callToken);
        private int _expired;

        public CancellationToken Token => _source.Token;

        public bool Expired => Volatile.Read(ref _expired) != 0;

        public void OnBudgetSpent()
        {
            bool waitingForConnection = content is not { Started: true };
            bool connectionSilent = watch is { HasWorkingConnection: false };
            if (!waitingForConnection && !connectionSilent)
            {
                // On a connection that works (or one we cannot observe): the server is just taking its time.
                return;
            }

            Volatile.Write(ref _expired, 1);
            try
            {
                _source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The request finished as the timer fired.
            }
            catch (AggregateException)
            {
                // A cancellation callback threw; a timer thread must not crash the process for it,
                // and the request sees its cancellation all the same.
            }
        }

        public void Dispose() => _source.Dispose();
    }
}
