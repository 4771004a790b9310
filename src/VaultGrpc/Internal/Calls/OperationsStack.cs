using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.GrpcCalls;
using VaultGrpc.Internal.GrpcCalls.Connections;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.Invokers.Fallback;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Internal.Calls;

/// <summary>
/// What a client's calls go through, built once from its options: one generated
/// <see cref="Operations.OperationsClient"/> over the invoker the mode asks for — the gRPC channel,
/// the <see cref="RestCallInvoker"/>, or a <see cref="FallbackCallInvoker"/> over both — and the
/// one token source both transports share.
/// </summary>
internal sealed class OperationsStack : IDisposable
{
    /// <summary>The full name of WaitOperation, as the invokers see it.</summary>
    public const string WaitOperationMethod = "/google.longrunning.Operations/WaitOperation";

    private readonly GrpcChannel? _channel;
    private readonly RestCallInvoker? _ownedRest;

    /// <summary>The client's own transports, as its options say.</summary>
    public OperationsStack(VaultOperationsClientOptions options)
    {
        Tokens = new AccessTokenSource(options.Credentials);
        GrpcAuthority = options.Endpoint.GetLeftPart(UriPartial.Authority);
        CallInvoker? grpc = null;
        try
        {
            if (options.TransportMode != TransportMode.RestOnly)
            {
                (_channel, Watch) = GrpcChannelFactory.Create(options, Tokens);
                grpc = _channel.CreateCallInvoker();
            }

            if (options.TransportMode != TransportMode.GrpcOnly)
            {
                _ownedRest = new RestCallInvoker(options.RestEndpoint ?? options.Endpoint, RestOptions(options), Tokens);
            }
        }
        catch
        {
            _channel?.Dispose();
            throw;
        }

        (Stub, Fallback) = Build(options, grpc, _ownedRest, Tokens);
    }

    /// <summary>Over given invokers (tests): a side the mode does not use may be null.</summary>
    internal OperationsStack(VaultOperationsClientOptions options, CallInvoker? grpc, CallInvoker? rest)
    {
        Tokens = new AccessTokenSource(options.Credentials);
        GrpcAuthority = "the gRPC endpoint";
        (Stub, Fallback) = Build(options, grpc, rest, Tokens);
    }

    /// <summary>The generated stub every call goes through.</summary>
    public Operations.OperationsClient Stub { get; }

    /// <summary>The fallback invoker under the stub in <see cref="TransportMode.Auto"/>; null otherwise.</summary>
    public FallbackCallInvoker? Fallback { get; }

    /// <summary>The token source of both transports: what server text must never show.</summary>
    public AccessTokenSource Tokens { get; }

    /// <summary>Watches the channel's HTTP/2 connections; null under a caller's own handler or without gRPC.</summary>
    public Http2ConnectionWatch? Watch { get; }

    /// <summary>scheme://host:port of the gRPC endpoint, for messages.</summary>
    public string GrpcAuthority { get; }

    /// <summary>What the client knows of gRPC: the channel's sticky window and its finding.</summary>
    public VaultTransportStatus Status
    {
        get
        {
            if (Fallback is null)
            {
                return new VaultTransportStatus(null, FallbackReason.None, null);
            }

            var channel = Fallback.Gate.Channel;
            return new VaultTransportStatus(channel.OpenUntil, channel.Finding?.Reason ?? FallbackReason.None, channel.Finding?.Detail);
        }
    }

    public void Dispose()
    {
        _channel?.Dispose();
        _ownedRest?.Dispose();
    }

    private static (Operations.OperationsClient Stub, FallbackCallInvoker? Fallback) Build(VaultOperationsClientOptions options, CallInvoker? grpc, CallInvoker? rest, AccessTokenSource tokens)
    {
        if (grpc is not null && !ReferenceEquals(options.TimeProvider, TimeProvider.System))
        {
            grpc = new SystemClockDeadlineInvoker(grpc, options.TimeProvider);
        }

        switch (options.TransportMode)
        {
            case TransportMode.GrpcOnly:
                return (new Operations.OperationsClient(grpc ?? throw new ArgumentNullException(nameof(grpc))), null);
            case TransportMode.RestOnly:
                return (new Operations.OperationsClient(rest ?? throw new ArgumentNullException(nameof(rest))), null);
        }

        var fallback = new FallbackCallInvoker(
            grpc ?? throw new ArgumentNullException(nameof(grpc)),
            rest ?? throw new ArgumentNullException(nameof(rest)),
            FallbackOptions(options),
            () => tokens.KnownTokens);
        return (new Operations.OperationsClient(fallback), fallback);
    }

    private static FallbackCallInvokerOptions FallbackOptions(VaultOperationsClientOptions options)
    {
        var fallback = new FallbackCallInvokerOptions
        {
            StickyRestWindow = options.StickyRestWindow,
            TimeProvider = options.TimeProvider,
            LoggerFactory = options.LoggerFactory,
            MeterFactory = options.MeterFactory,
            // Get and List are GET routes, so safe by their rules; cancelling twice is cancelling
            // once, and a wait changes nothing. Delete is the one method that is not safe to repeat.
            Services = { OperationsReflection.Descriptor.Services[0] },
            SafeToRepeat = { "/google.longrunning.Operations/CancelOperation", WaitOperationMethod },
        };
        return fallback;
    }

    private static RestCallInvokerOptions RestOptions(VaultOperationsClientOptions options) => new()
    {
        Services = { OperationsReflection.Descriptor.Services[0] },
        Credentials = options.Credentials,
        AllowInsecureCredentials = options.AllowInsecureCredentials,
        TypeRegistry = KnownTypes.With(options.AnyTypes),
        HttpHandler = options.RestHttpHandler,
        TimeProvider = options.TimeProvider,
    };
}
