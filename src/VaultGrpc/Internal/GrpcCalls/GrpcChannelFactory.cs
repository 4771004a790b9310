using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.Internal.Auth;

namespace VaultGrpc.Internal.GrpcCalls;

/// <summary>Builds the one <see cref="GrpcChannel"/> a client shares across all its gRPC calls.</summary>
internal static class GrpcChannelFactory
{
    // Short enough that an unreachable host fails over to REST well inside the default 10 s call
    // timeout, instead of the deadline expiring (DeadlineExceeded never falls back).
    internal static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public static GrpcChannel Create(VaultOperationsClientOptions options, AccessTokenSource tokens)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokens);

        bool plaintext = options.Endpoint.Scheme == Uri.UriSchemeHttp;
        ChannelCredentials transportSecurity = plaintext ? ChannelCredentials.Insecure : ChannelCredentials.SecureSsl;
        ChannelCredentials credentials = tokens.HasCredentials
            ? ChannelCredentials.Create(transportSecurity, TokenCallCredentials.Create(tokens))
            : transportSecurity;

        return GrpcChannel.ForAddress(options.Endpoint, new GrpcChannelOptions
        {
            HttpHandler = options.GrpcHttpHandler ?? CreateHandler(options),
            // The caller owns a handler it passed in; ours goes with the channel.
            DisposeHttpClient = options.GrpcHttpHandler is null,
            Credentials = credentials,
            // Only reachable for loopback or when the caller opted in: options validation refuses the rest.
            UnsafeUseInsecureChannelCallCredentials = plaintext && tokens.HasCredentials,
            // Measured on 2.85: with this on, an expired deadline also surfaces as
            // OperationCanceledException, hiding DeadlineExceeded. The transport maps the caller's
            // own cancellation to OperationCanceledException itself instead.
            ThrowOperationCanceledOnCancellation = false,
            // No service config means no grpc-dotnet retries or hedging: the client's one Polly
            // policy retries over both transports, and must see every failure.
            ServiceConfig = null,
            LoggerFactory = Telemetry.RedactingLoggerFactory.Wrap(options.LoggerFactory, () => tokens.KnownTokens),
        });
    }

    private static SocketsHttpHandler CreateHandler(VaultOperationsClientOptions options) => new()
    {
        EnableMultipleHttp2Connections = true,
        KeepAlivePingDelay = options.KeepAlivePingDelay,
        KeepAlivePingTimeout = options.KeepAlivePingTimeout,
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        ConnectTimeout = ConnectTimeout,
    };
}
