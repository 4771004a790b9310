using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VaultGrpc.Internal.Fallback.Invoker;
using VaultGrpc.Internal.Telemetry;

namespace VaultGrpc.Invokers.Fallback;

/// <summary>
/// A <see cref="CallInvoker"/> that sends each unary call to gRPC first and to REST only when gRPC
/// could not serve it, for any generated stub: <c>new MyService.MyServiceClient(new FallbackCallInvoker(grpc, rest))</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>When a call moves.</b> Only when its gRPC request provably never reached a server that could
/// act on it (no connection, refused before processing, HTTP/1.x, a non-gRPC answer) or a gRPC
/// server answered UNIMPLEMENTED. After an ambiguous failure (a gateway's 502/503, a reset after
/// the request went out) only a method that is safe to repeat moves (see
/// <see cref="FallbackCallInvokerOptions.Services"/> and <see cref="FallbackCallInvokerOptions.SafeToRepeat"/>);
/// any other method ends with <see cref="VaultOutcomeUnknownException"/> and is never sent again,
/// and so does any failure of such a method that leaves open whether the server acted on it.
/// An answer from the service (NOT_FOUND, PERMISSION_DENIED, its own UNAVAILABLE…), the deadline and
/// the caller's cancellation never move a call. The connection budget (a bounded wait for a working
/// HTTP/2 connection) comes from the gRPC channel's handler, as VaultGrpc's own channels have it.
/// </para>
/// <para>
/// <b>Sticky.</b> Once gRPC is found not to serve, calls go straight to REST for
/// <see cref="FallbackCallInvokerOptions.StickyRestWindow"/>: for the whole channel when the evidence
/// is about the transport (or the service is unknown), for one method only when a gRPC server
/// answered UNIMPLEMENTED for that method. Then exactly one call probes gRPC. When REST answers
/// UNIMPLEMENTED as well, the method is not supported: the caller gets UNIMPLEMENTED saying so, and
/// later calls of it get that answer without a round trip for the window.
/// </para>
/// <para>
/// <b>Seeing it.</b> <see cref="AsyncUnaryCall{TResponse}.ResponseHeadersAsync"/> carries a
/// <see cref="TransportHeader"/> entry (<c>grpc</c>, or <c>rest; fallback=grpc_unimplemented</c> …)
/// added by this invoker (it completes once the call has settled on its transport), and
/// <see cref="FallbackCallInvokerOptions.CallObserver"/> gets a <see cref="FallbackCallReport"/> for
/// every call, blocking calls included.
/// </para>
/// <para>
/// <b>Time.</b> Both attempts get the same <see cref="CallOptions"/>, so REST has whatever the gRPC
/// attempt left of the deadline; when the deadline passed before REST could start the call ends
/// with DEADLINE_EXCEEDED. Streaming calls go to gRPC only (REST has no streams). Blocking calls run
/// the asynchronous path and wait for it, as Grpc.Net.Client's own invoker does.
/// </para>
/// </remarks>
public sealed class FallbackCallInvoker : CallInvoker
{
    /// <summary>The response header entry this invoker adds: which transport answered, and why.</summary>
    public const string TransportHeader = "vaultgrpc-transport";

    /// <summary>Sends calls to <paramref name="grpc"/> first and to <paramref name="rest"/> when gRPC cannot serve them.</summary>
    /// <param name="grpc">The gRPC invoker, e.g. <c>GrpcChannel.CreateCallInvoker()</c>.</param>
    /// <param name="rest">The REST invoker for the same service.</param>
    /// <param name="options">Settings; null for the defaults. Validated and copied here.</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    public FallbackCallInvoker(CallInvoker grpc, CallInvoker rest, FallbackCallInvokerOptions? options = null)
        : this(grpc, rest, options, knownSecrets: null)
    {
    }

    /// <summary>
    /// As the public constructor, with the tokens a client holds: gRPC failure texts quoted in
    /// reports, logs and "not supported" answers are masked for them, not only for token shapes.
    /// </summary>
    internal FallbackCallInvoker(CallInvoker grpc, CallInvoker rest, FallbackCallInvokerOptions? options, Func<IReadOnlyList<string>>? knownSecrets)
    {
        KnownSecrets = knownSecrets;
        ArgumentNullException.ThrowIfNull(grpc);
        ArgumentNullException.ThrowIfNull(rest);
        options ??= new FallbackCallInvokerOptions();
        IReadOnlyList<string> problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid FallbackCallInvokerOptions: " + string.Join(" ", problems), nameof(options));
        }

        Grpc = grpc;
        Rest = rest;
        TimeProvider = options.TimeProvider;
        Observer = options.CallObserver;
        SafeToRepeat = new SafeToRepeatMethods(options.Services, options.SafeToRepeat);
        Gate = new MethodStickyGate(options.StickyRestWindow, options.TimeProvider);
        StickyRestWindow = options.StickyRestWindow;
        Instruments = VaultInstruments.For(options.MeterFactory);
        Logger = RedactingLoggerFactory.Wrap(options.LoggerFactory, knownSecrets)?.CreateLogger("VaultGrpc.FallbackCallInvoker") ?? NullLogger.Instance;
    }

    internal CallInvoker Grpc { get; }

    internal CallInvoker Rest { get; }

    internal TimeProvider TimeProvider { get; }

    internal Action<FallbackCallReport>? Observer { get; }

    internal SafeToRepeatMethods SafeToRepeat { get; }

    internal MethodStickyGate Gate { get; }

    internal TimeSpan StickyRestWindow { get; }

    internal ILogger Logger { get; }

    /// <summary>The tokens to mask in texts quoted from failures; null when the invoker holds none of its own.</summary>
    internal Func<IReadOnlyList<string>>? KnownSecrets { get; }

    internal VaultInstruments Instruments { get; }

    /// <summary>
    /// Whether a call of <paramref name="method"/> (a full name) would go to gRPC now without being a
    /// probe: nothing is remembered against the channel or the method. A long-poll asks first, so
    /// that it never holds a probe for minutes.
    /// </summary>
    internal bool GrpcIsClear(string method) => !Gate.Channel.IsOpen && Gate.MethodMemory(method)?.IsOpen != true;

    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new FallbackUnaryCall<TRequest, TResponse>(this, method, host, options, request, CallReportHandoff.TakePending()).Start();
    }

    /// <inheritdoc />
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        using AsyncUnaryCall<TResponse> call = AsyncUnaryCall(method, host, options, request);
        return call.ResponseAsync.GetAwaiter().GetResult();
    }

    /// <summary>Over gRPC only: REST has no streams.</summary>
    /// <inheritdoc />
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        Grpc.AsyncServerStreamingCall(method, host, options, request);

    /// <summary>Over gRPC only: REST has no streams.</summary>
    /// <inheritdoc />
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        Grpc.AsyncClientStreamingCall(method, host, options);

    /// <summary>Over gRPC only: REST has no streams.</summary>
    /// <inheritdoc />
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        Grpc.AsyncDuplexStreamingCall(method, host, options);
}
