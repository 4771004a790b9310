using System.Diagnostics.Metrics;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Logging;
using VaultGrpc.Internal.Text;

namespace VaultGrpc;

/// <summary>
/// Settings of a <see cref="VaultOperationsClient"/>. Mutable while building; validated once, all
/// errors together, and copied when the client is created, so later changes do not reach it.
/// </summary>
public sealed class VaultOperationsClientOptions
{
    /// <summary>The production endpoint of the Vault API.</summary>
    public static readonly Uri DefaultEndpoint = new("https://vault.googleapis.com");

    /// <summary>
    /// The gRPC endpoint. Default <c>https://vault.googleapis.com</c>. <c>http://</c> means h2c (prior
    /// knowledge). Scheme, host and port only: no path, query, fragment or user information
    /// (<c>user:password@</c> is refused; credentials go in <see cref="Credentials"/>).
    /// </summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>The REST endpoint. Default null: the same as <see cref="Endpoint"/>. The same rules as <see cref="Endpoint"/>.</summary>
    public Uri? RestEndpoint { get; set; }

    /// <summary>Which transports may serve. Default <see cref="TransportMode.Auto"/>.</summary>
    public TransportMode TransportMode { get; set; } = TransportMode.Auto;

    /// <summary>
    /// In <see cref="TransportMode.Auto"/>, how long calls go straight to REST after gRPC was found
    /// not to serve; then a single call probes gRPC again. Default 5 minutes; zero probes on every call.
    /// </summary>
    public TimeSpan StickyRestWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Overall time of one call, all attempts and delays included, when the caller passes no
    /// timeout. Default 10 s; <see cref="Timeout.InfiniteTimeSpan"/> for none.
    /// </summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long <see cref="VaultOperationsClient.WaitAsync"/> waits when the caller passes no wait
    /// timeout. Default 5 minutes.
    /// </summary>
    public TimeSpan DefaultWaitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// First delay between GetOperation polls when WaitOperation is not served over gRPC.
    /// Default 1 s; each next delay is 1.5 times longer, up to <see cref="WaitPollMaxDelay"/>.
    /// </summary>
    public TimeSpan WaitPollInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between GetOperation polls. Default 10 s.</summary>
    public TimeSpan WaitPollMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The retry policy, over both transports. Default: <see cref="VaultRetrySettings"/>'s defaults.</summary>
    public VaultRetrySettings Retry { get; set; } = new();

    /// <summary>Where access tokens come from. Default <see cref="VaultCredentials.ApplicationDefault"/>.</summary>
    public VaultCredentials Credentials { get; set; } = VaultCredentials.ApplicationDefault();

    /// <summary>
    /// Allows credentials over plaintext (<c>http://</c>) to a host that is not loopback. Default
    /// false: such a client is refused when it is created.
    /// </summary>
    public bool AllowInsecureCredentials { get; set; }

    /// <summary>
    /// The handler under the gRPC channel, for tests (for example a TestServer's). Default null:
    /// a <see cref="SocketsHttpHandler"/> with several HTTP/2 connections and keep-alive pings.
    /// The caller keeps ownership. Give it to this client alone: Grpc.Net.Client takes over a
    /// SocketsHttpHandler's ConnectCallback, after which it serves no other HTTP traffic.
    /// </summary>
    public HttpMessageHandler? GrpcHttpHandler { get; set; }

    /// <summary>
    /// The handler under the REST <see cref="HttpClient"/>, for tests. Default null: a
    /// <see cref="SocketsHttpHandler"/> that follows no redirects. The caller keeps ownership.
    /// </summary>
    public HttpMessageHandler? RestHttpHandler { get; set; }

    /// <summary>Interval of HTTP/2 keep-alive pings on the gRPC connections. Default 60 s.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a keep-alive ping may go unanswered before the connection is closed. Default 30 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest a gRPC call waits for a working HTTP/2 connection (TCP, TLS, and the server's
    /// acknowledgement of our HTTP/2 settings) before, in <see cref="TransportMode.Auto"/>, it goes to
    /// REST with the time it has left. Default 3 s; a call's own budget is the smaller of this and half
    /// its timeout. Silence is the commonest block (dropped SYNs, a stalled TLS handshake, a port that
    /// never speaks HTTP/2): without a budget such a call would wait out its whole deadline.
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns the budget off (the half-timeout cap too); a
    /// request's message is still held until the server acknowledges our HTTP/2 settings, so that a
    /// silent server never receives one. Under a caller's <see cref="GrpcHttpHandler"/> connections
    /// cannot be observed: the budget then only limits the wait for a connection, and nothing is held.
    /// </summary>
    public TimeSpan GrpcConnectBudget { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Source of time for deadlines, backoff and the sticky window. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where logs go. Default null: nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Makes the "VaultGrpc" Meter of the client's instruments (<c>rpc.client.call.duration</c>,
    /// <c>vaultgrpc.client.calls</c>, <c>vaultgrpc.client.call.duration</c>, <c>vaultgrpc.client.fallbacks</c>).
    /// Default null: the library's static Meter of the same name. Under dependency injection the
    /// registration sets the container's factory (<c>services.AddMetrics()</c>; hosts add it), so the
    /// meter belongs to the container and is disposed with it. Spans come from the static
    /// ActivitySource "VaultGrpc" either way.
    /// </summary>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>Extra text appended to the <c>x-goog-api-client</c> header, e.g. <c>myapp/1.2</c>. Default null.</summary>
    public string? ApiClientSuffix { get; set; }

    /// <summary>
    /// Message types the caller knows, so that REST answers carry them as the same binary <c>Any</c>
    /// as gRPC does. Default empty.
    /// </summary>
    /// <remarks>
    /// Over gRPC an operation's <c>metadata</c>/<c>response</c> (and an error's details) arrive as binary
    /// <c>Any</c> values whatever their type, so <c>Unpack&lt;T&gt;()</c> works for any type the caller has
    /// compiled. Over REST they arrive as JSON, which the client can only turn back into binary for types
    /// it knows: the <c>google.longrunning</c>, <c>google.rpc</c> and well-known types, plus these (and the
    /// other types of their .proto files and imports). An <c>Any</c> of a type known to neither is kept
    /// readable as an <c>Any</c> packing a <c>google.protobuf.Struct</c> of the original JSON (with its
    /// <c>@type</c>), so the same operation then differs by transport. Struct has no integers either: an
    /// <c>int64</c> field (a string in proto3 JSON) stays a string there, and a Struct number is a double,
    /// exact only up to 2^53. List Vault's types here (for example <c>CountArtifactsMetadata.Descriptor</c>)
    /// to get equal operations and exact <c>int64</c> values from both transports. Copied when the client
    /// is created; must not contain null.
    /// </remarks>
    public IList<MessageDescriptor> AnyTypes { get; private set; } = new List<MessageDescriptor>();

    /// <summary>Every problem with these options, empty when they are valid.</summary>
    public IReadOnlyList<string> GetValidationErrors()
    {
        var errors = new List<string>();
        ValidateEndpoint(Endpoint, nameof(Endpoint), errors);
        if (RestEndpoint is not null)
        {
            ValidateEndpoint(RestEndpoint, nameof(RestEndpoint), errors);
        }

        if (!Enum.IsDefined(TransportMode))
        {
            errors.Add($"TransportMode {(int)TransportMode} is not one of Auto, GrpcOnly, RestOnly.");
        }

        if (StickyRestWindow < TimeSpan.Zero)
        {
            errors.Add($"StickyRestWindow must not be negative (was {StickyRestWindow}).");
        }

        if (DefaultTimeout <= TimeSpan.Zero && DefaultTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"DefaultTimeout must be positive or Timeout.InfiniteTimeSpan (was {DefaultTimeout}).");
        }

        if (DefaultWaitTimeout <= TimeSpan.Zero)
        {
            errors.Add($"DefaultWaitTimeout must be positive (was {DefaultWaitTimeout}).");
        }

        if (WaitPollInitialDelay <= TimeSpan.Zero || WaitPollMaxDelay < WaitPollInitialDelay)
        {
            errors.Add($"WaitPollInitialDelay ({WaitPollInitialDelay}) must be positive and not above WaitPollMaxDelay ({WaitPollMaxDelay}).");
        }

        if (KeepAlivePingDelay <= TimeSpan.Zero && KeepAlivePingDelay != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"KeepAlivePingDelay must be positive or Timeout.InfiniteTimeSpan (was {KeepAlivePingDelay}).");
        }

        if (KeepAlivePingTimeout <= TimeSpan.Zero)
        {
            errors.Add($"KeepAlivePingTimeout must be positive (was {KeepAlivePingTimeout}).");
        }

        if (GrpcConnectBudget <= TimeSpan.Zero && GrpcConnectBudget != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"GrpcConnectBudget must be positive or Timeout.InfiniteTimeSpan (was {GrpcConnectBudget}).");
        }

        if (Retry is null)
        {
            errors.Add("Retry must not be null.");
        }
        else
        {
            Retry.Validate(errors);
        }

        if (Credentials is null)
        {
            errors.Add("Credentials must not be null; use VaultCredentials.None for no credentials.");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider must not be null.");
        }

        if (AnyTypes.Contains(null!))
        {
            errors.Add("AnyTypes must not contain null.");
        }

        if (ApiClientSuffix is not null && ApiClientSuffix.Any(c => c < 0x21 || c > 0x7E))
        {
            errors.Add($"ApiClientSuffix '{ApiClientSuffix}' must be printable ASCII without spaces.");
        }

        if (Credentials is not null && Credentials != VaultCredentials.None && !AllowInsecureCredentials)
        {
            foreach (Uri endpoint in new[] { Endpoint, RestEndpoint }.OfType<Uri>())
            {
                if (endpoint.IsAbsoluteUri && endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback)
                {
                    errors.Add($"Credentials would go over plaintext to '{EndpointText.Masked(endpoint)}', which is not loopback; use https, VaultCredentials.None, or set AllowInsecureCredentials.");
                }
            }
        }

        return errors;
    }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every problem, if there is any.</summary>
    internal void Validate()
    {
        IReadOnlyList<string> errors = GetValidationErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid VaultOperationsClientOptions: " + string.Join(" ", errors), "options");
        }
    }

    /// <summary>A copy that later changes to this instance do not reach.</summary>
    internal VaultOperationsClientOptions Clone()
    {
        var copy = new VaultOperationsClientOptions();
        CopyTo(copy);
        return copy;
    }

    /// <summary>
    /// Sets every setting of <paramref name="target"/> to this instance's (a copy of the retry settings
    /// and Any types): the one list of settings that <see cref="Clone"/> and the DI registration share.
    /// </summary>
    internal void CopyTo(VaultOperationsClientOptions target)
    {
        target.Endpoint = Endpoint;
        target.RestEndpoint = RestEndpoint;
        target.TransportMode = TransportMode;
        target.StickyRestWindow = StickyRestWindow;
        target.DefaultTimeout = DefaultTimeout;
        target.DefaultWaitTimeout = DefaultWaitTimeout;
        target.WaitPollInitialDelay = WaitPollInitialDelay;
        target.WaitPollMaxDelay = WaitPollMaxDelay;
        target.Retry = Retry.Clone();
        target.Credentials = Credentials;
        target.AllowInsecureCredentials = AllowInsecureCredentials;
        target.GrpcHttpHandler = GrpcHttpHandler;
        target.RestHttpHandler = RestHttpHandler;
        target.KeepAlivePingDelay = KeepAlivePingDelay;
        target.KeepAlivePingTimeout = KeepAlivePingTimeout;
        target.GrpcConnectBudget = GrpcConnectBudget;
        target.TimeProvider = TimeProvider;
        target.LoggerFactory = LoggerFactory;
        target.MeterFactory = MeterFactory;
        target.ApiClientSuffix = ApiClientSuffix;
        target.AnyTypes = AnyTypes.ToList();
    }

    private static void ValidateEndpoint(Uri? endpoint, string property, List<string> errors)
    {
        if (endpoint is null)
        {
            errors.Add($"{property} must not be null.");
            return;
        }

        // Every message shows the endpoint masked: user information must not reach a message or a log.
        string shown = EndpointText.Masked(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{property} '{shown}' must be an absolute http:// or https:// URI.");
            return;
        }

        if (EndpointText.HasUserInfo(endpoint))
        {
            errors.Add($"{property} '{shown}' must not contain user information (user:password@): it would not be used, and could be printed. Give credentials in Credentials.");
        }

        if (endpoint.AbsolutePath != "/" || endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0)
        {
            errors.Add($"{property} '{shown}' must have no path, query or fragment: the routes add /v1/....");
        }
    }
}
