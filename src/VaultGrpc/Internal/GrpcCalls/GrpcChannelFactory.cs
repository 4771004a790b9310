using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.GrpcCalls.Connections;

namespace VaultGrpc.Internal.GrpcCalls;

/// <summary>Builds the one <see cref="GrpcChannel"/> a client shares across all its gRPC calls.</summary>
internal static class GrpcChannelFactory
{
    /// <summary>The channel, and what watches its connections (null under a caller's own handler).</summary>
    public static (GrpcChannel Channel, Http2ConnectionWatch? Watch) Create(VaultOperationsClientOptions options, AccessTokenSource tokens)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokens);

        bool plaintext = options.Endpoint.Scheme == Uri.UriSchemeHttp;
        ChannelCredentials transportSecurity = plaintext ? ChannelCredentials.Insecure : ChannelCredentials.SecureSsl;
        ChannelCredentials credentials = tokens.HasCredentials
            ? ChannelCredentials.Create(transportSecurity, TokenCallCredentials.Create(tokens))
            : transportSecurity;

        // A caller's chain built on VaultHttpHandlers.CreateGrpcHandler already holds our budget and
        // watch below the caller's own handlers; any other caller handler gets a budget without a watch.
        ConnectionBudgetHandler? callerBudget = ConnectionBudgetHandler.FindIn(options.GrpcHttpHandler);
        HttpMessageHandler handler;
        Http2ConnectionWatch? watch;
        if (options.GrpcHttpHandler is null)
        {
            handler = CreateBudgetedHandler(options, out watch);
        }
        else if (callerBudget is not null)
        {
            handler = new CallerOwnedHandler(options.GrpcHttpHandler);
            watch = callerBudget.Watch;
        }
        else
        {
            // Network silence is measured on the system clock, as Grpc.Net.Client measures deadlines.
            handler = new ConnectionBudgetHandler(options.GrpcHttpHandler, options.GrpcConnectBudget, watch: null, TimeProvider.System, ownsInner: false);
            watch = null;
        }

        GrpcChannel channel = GrpcChannel.ForAddress(options.Endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            // The caller owns a handler it passed in (the budget handler leaves it alone); ours goes with the channel.
            DisposeHttpClient = true,
            Credentials = credentials,
            // Only reachable for loopback or when the caller opted in: options validation refuses the rest.
            UnsafeUseInsecureChannelCallCredentials = plaintext && tokens.HasCredentials,
            // Measured on 2.85: with this on, an expired deadline also surfaces as
            // OperationCanceledException, hiding DeadlineExceeded. The transport maps the caller's
            // own cancellation to OperationCanceledException itself instead.
            ThrowOperationCanceledOnCancellation = false,
            // No service config means no grpc-dotnet retries or hedging: the client's one
            // policy retries over both transports, and must see every failure.
            ServiceConfig = null,
            LoggerFactory = Telemetry.RedactingLoggerFactory.Wrap(options.LoggerFactory, () => tokens.KnownTokens),
        });
        return (channel, watch);
    }

    /// <summary>Our whole gRPC handler: the budget over a SocketsHttpHandler whose connections the watch observes.</summary>
    public static ConnectionBudgetHandler CreateBudgetedHandler(VaultOperationsClientOptions options, out Http2ConnectionWatch watch)
    {
        watch = new Http2ConnectionWatch();
        // Network silence is measured on the system clock, as Grpc.Net.Client measures deadlines.
        return new ConnectionBudgetHandler(CreateHandler(options, watch), options.GrpcConnectBudget, watch, TimeProvider.System, ownsInner: true);
    }

    private static SocketsHttpHandler CreateHandler(VaultOperationsClientOptions options, Http2ConnectionWatch watch) => new()
    {
        EnableMultipleHttp2Connections = true,
        KeepAlivePingDelay = options.KeepAlivePingDelay,
        KeepAlivePingTimeout = options.KeepAlivePingTimeout,
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        // A connection attempt outlives the calls that started it; it gets no longer than they may wait.
        ConnectTimeout = options.GrpcConnectBudget,
        // A gRPC endpoint that redirects is not one to follow: the call fails on the 3xx instead.
        AllowAutoRedirect = false,
        // Our own connect keeps Grpc.Net.Client's balancer (its subchannel) out of the way: its
        // connect happens before any handler of ours runs, where no budget can reach it, and it
        // ignores proxies. One endpoint needs no balancing.
        ConnectCallback = ConnectAsync,
        PlaintextStreamFilter = watch.FilterAsync,
    };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
