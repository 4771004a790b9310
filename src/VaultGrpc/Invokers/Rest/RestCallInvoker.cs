using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.Internal.Text;

namespace VaultGrpc.Invokers.Rest;

/// <summary>
/// A <see cref="CallInvoker"/> that serves the unary methods of any generated gRPC client over
/// REST, routed by each method's <c>google.api.http</c> rule, with proto3 JSON bodies. Build the
/// stub on it as on a channel: <c>new Greeter.GreeterClient(new RestCallInvoker(...))</c>.
/// </summary>
/// <remarks>
/// <para>Routes: the rule's primary binding (<c>additional_bindings</c> are not used); path variables
/// percent-encoded as google/api/http.proto says; <c>body: "*"</c> sends the request (less its
/// path fields) as JSON, <c>body: "field"</c> that field, and without a body every other set field
/// goes as a query parameter named by its JSON (lowerCamel) field path. A path value that would
/// change the path (empty, <c>.</c>/<c>..</c> or empty segments, control or invisible characters,
/// not matching the variable's pattern) fails with <see cref="ArgumentException"/> before any I/O.</para>
/// <para>Failures reach the caller as <see cref="RpcException"/>: the status from the body
/// (AIP-193 <c>{"error":{…}}</c> or a bare <c>google.rpc.Status</c>), else from the HTTP status;
/// error details in the <c>grpc-status-details-bin</c> trailer, so <c>GetRpcStatus()</c> reads them
/// as over gRPC. Methods without a rule, and streaming methods, fail with
/// <see cref="StatusCode.Unimplemented"/> without I/O. Redirects are not followed. Every request
/// but GET and HEAD carries a body (an empty one when the route has none), so the HTTP stack never
/// silently re-sends it on a fresh connection.</para>
/// <para>The <c>host</c> argument of each call is ignored: every request goes to the base address.</para>
/// </remarks>
public sealed class RestCallInvoker : CallInvoker, IDisposable
{
    private readonly RestInvokerCore _core;
    private readonly HttpClient? _ownedClient;

    /// <summary>
    /// An invoker that sends to <paramref name="baseAddress"/> (its path, if any, prefixes every
    /// route) through an HttpClient of its own, over <see cref="RestCallInvokerOptions.HttpHandler"/>
    /// or a handler that follows no redirects. Dispose the invoker to release it.
    /// </summary>
    /// <exception cref="ArgumentException">The options or the address are invalid; the message lists every problem.</exception>
    public RestCallInvoker(Uri baseAddress, RestCallInvokerOptions options)
        : this(baseAddress, options, tokens: null)
    {
    }

    /// <summary>As the public constructor, with a token source the caller shares (the facade's, also used by its gRPC channel).</summary>
    internal RestCallInvoker(Uri baseAddress, RestCallInvokerOptions options, AccessTokenSource? tokens)
    {
        ArgumentNullException.ThrowIfNull(options);
        HttpMessageHandler handler = options.HttpHandler ?? RestHttpDefaults.CreateDefaultHandler();
        var client = new HttpClient(handler, disposeHandler: options.HttpHandler is null) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            // The client is ours and has no defaults: calls may go to its handler directly.
            _core = new RestInvokerCore(client, baseAddress, options, tokens, new HttpMessageInvoker(handler, disposeHandler: false), ContentDecoding.ShouldAskThrough(handler));
        }
        catch
        {
            client.Dispose();
            throw;
        }

        _ownedClient = client;
    }

    /// <summary>
    /// An invoker that sends to <paramref name="baseAddress"/> through <paramref name="httpClient"/>,
    /// which stays the caller's (not disposed; its redirect and timeout settings apply as they are).
    /// </summary>
    /// <exception cref="ArgumentException">The options or the address are invalid; the message lists every problem.</exception>
    public RestCallInvoker(HttpClient httpClient, Uri baseAddress, RestCallInvokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _core = new RestInvokerCore(httpClient, baseAddress, options);
    }

    /// <summary>
    /// An invoker for <paramref name="services"/> with default options otherwise, sending through
    /// <paramref name="httpClient"/> (not disposed by the invoker).
    /// </summary>
    /// <exception cref="ArgumentException">No service is given, or the address is invalid.</exception>
    public RestCallInvoker(HttpClient httpClient, Uri baseAddress, params ServiceDescriptor[] services)
        : this(httpClient, baseAddress, OptionsFor(services))
    {
    }

    /// <inheritdoc />
    /// <remarks>Runs the call and waits for it; failures are thrown as by <see cref="AsyncUnaryCall"/>.</remarks>
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        AsyncUnaryCall(method, host, options, request).ResponseAsync.GetAwaiter().GetResult();

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The deadline is not UTC (nor MaxValue or MinValue), as Grpc.Net.Client has it.</exception>
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (options.Deadline is DateTime deadline && deadline != DateTime.MaxValue && deadline != DateTime.MinValue && deadline.Kind != DateTimeKind.Utc)
        {
            // As Grpc.Net.Client refuses it, synchronously: a local or unspecified time would be read in the wrong zone.
            throw new InvalidOperationException("Deadline must have a kind DateTimeKind.Utc or be equal to DateTime.MaxValue or DateTime.MinValue.");
        }

        var call = new RestUnaryCall(_core, method.FullName, method.Type, options);
        Task<TResponse> response = call.RunAsync<TResponse>((IMessage)request!);
        // Static delegates over the call as state: no delegate is made per call.
        return new AsyncUnaryCall<TResponse>(
            response,
            static state => ((RestUnaryCall)state).ResponseHeaders(),
            static state => ((RestUnaryCall)state).GetStatus(),
            static state => ((RestUnaryCall)state).GetTrailers(),
            static state => ((RestUnaryCall)state).Dispose(),
            call);
    }

    /// <inheritdoc />
    /// <exception cref="RpcException">Always: <see cref="StatusCode.Unimplemented"/>, REST has no route for streaming.</exception>
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw Streaming(method);

    /// <inheritdoc />
    /// <exception cref="RpcException">Always: <see cref="StatusCode.Unimplemented"/>, REST has no route for streaming.</exception>
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw Streaming(method);

    /// <inheritdoc />
    /// <exception cref="RpcException">Always: <see cref="StatusCode.Unimplemented"/>, REST has no route for streaming.</exception>
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw Streaming(method);

    /// <summary>Releases the HttpClient the invoker built; one passed in stays open.</summary>
    public void Dispose() => _ownedClient?.Dispose();

    private static RestCallInvokerOptions OptionsFor(ServiceDescriptor[] services)
    {
        var options = new RestCallInvokerOptions();
        foreach (ServiceDescriptor service in services ?? [])
        {
            options.Services.Add(service);
        }

        return options;
    }

    private static RpcException Streaming(IMethod method) =>
        new(new Status(StatusCode.Unimplemented, $"The {method.Type} method '{method.FullName}' cannot be called over REST: there is no REST route for streaming methods."));
}
