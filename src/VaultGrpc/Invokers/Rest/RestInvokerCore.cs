using System.Collections.Concurrent;
using Google.Protobuf.Reflection;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.Internal.Text;

namespace VaultGrpc.Invokers.Rest;

/// <summary>What every call of one <see cref="RestCallInvoker"/> shares: validated options, routes, client, parser.</summary>
internal sealed class RestInvokerCore
{
    private readonly Dictionary<string, MethodDescriptor> _methods = new(StringComparer.Ordinal);
    private readonly HttpMessageInvoker? _handler;

    // Built on first use per method, keyed by the gRPC full name (no string is made per call); a
    // method without a rule is remembered as null.
    private readonly ConcurrentDictionary<string, Lazy<RestRoute?>> _routes = new(StringComparer.Ordinal);

    /// <param name="httpClient">The client requests go through (a caller's, with its defaults).</param>
    /// <param name="baseAddress">The REST endpoint.</param>
    /// <param name="options">Validated here.</param>
    /// <param name="tokens">A token source to share, or null for one of these options' credentials.</param>
    /// <param name="handler">
    /// The invoker's own client's handler, without defaults to apply: requests go to it directly,
    /// since HttpClient links every cancellable token with one of its own (a token source and two
    /// registrations per call) and adds a state machine.
    /// </param>
    /// <param name="askForCompression">Whether requests ask for compressed answers themselves (the handler is known not to decompress).</param>
    public RestInvokerCore(HttpClient httpClient, Uri baseAddress, RestCallInvokerOptions options, AccessTokenSource? tokens = null, HttpMessageInvoker? handler = null, bool askForCompression = false)
    {
        var errors = new List<string>();
        if (baseAddress is null || !baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add("The base address must be an absolute http:// or https:// URI.");
        }
        else
        {
            if (baseAddress.UserInfo.Length > 0)
            {
                errors.Add("The base address must not hold user information (user:password@).");
            }

            if (baseAddress.Query.Length > 0 || baseAddress.Fragment.Length > 0)
            {
                errors.Add($"The base address '{EndpointText.Masked(baseAddress)}' must have no query or fragment.");
            }

            if (options.Credentials is null)
            {
                errors.Add("Credentials must not be null; use VaultCredentials.None.");
            }
            else if (!ReferenceEquals(options.Credentials, VaultCredentials.None) && !options.AllowInsecureCredentials && IsInsecure(baseAddress))
            {
                errors.Add($"Credentials would go over plaintext to '{EndpointText.Masked(baseAddress)}', which is not loopback; use https, VaultCredentials.None, or set AllowInsecureCredentials.");
            }
        }

        if (options.Services.Count == 0)
        {
            errors.Add("Services must name at least one service whose methods carry google.api.http rules.");
        }

        if (options.MaxResponseBodyBytes <= 0)
        {
            errors.Add("MaxResponseBodyBytes must be positive.");
        }

        if (options.TimeProvider is null)
        {
            errors.Add("TimeProvider must not be null.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid RestCallInvoker settings: " + string.Join(" ", errors), nameof(options));
        }

        foreach (ServiceDescriptor service in options.Services)
        {
            foreach (MethodDescriptor method in service.Methods)
            {
                _methods[method.FullName] = method;
            }
        }

        HttpClient = httpClient;
        _handler = handler;
        Origin = baseAddress!.GetLeftPart(UriPartial.Authority);
        PathPrefix = baseAddress.AbsolutePath.TrimEnd('/');
        UrlPrefix = Origin + PathPrefix;
        TokenAudience = Origin + "/";
        ShownOrigin = EndpointText.Masked(Origin);
        (HttpVersion, VersionPolicy) = RestHttpDefaults.DefaultVersionFor(baseAddress);
        Insecure = IsInsecure(baseAddress) && !options.AllowInsecureCredentials;
        // A caller that already has a token source for these credentials shares it (one ADC resolution).
        Tokens = tokens ?? new AccessTokenSource(options.Credentials!);
        Json = new RestMessageJson(options.TypeRegistry ?? KnownTypes.With(options.Services.SelectMany(s => s.Methods).SelectMany(m => new[] { m.InputType, m.OutputType })));
        ThrowOperationCanceledOnCancellation = options.ThrowOperationCanceledOnCancellation;
        MaxResponseBodyBytes = options.MaxResponseBodyBytes;
        TimeProvider = options.TimeProvider!;
        AskForCompression = askForCompression;
    }

    public HttpClient HttpClient { get; }

    /// <summary>Sends <paramref name="request"/> and completes once the response headers are read.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _handler is { } handler
            ? handler.SendAsync(request, cancellationToken)
            : HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>scheme://host:port, no trailing slash.</summary>
    public string Origin { get; }

    /// <summary>The base address's path without its trailing slash ("" for none).</summary>
    public string PathPrefix { get; }

    /// <summary><see cref="Origin"/> and <see cref="PathPrefix"/>: what a route's path is appended to.</summary>
    public string UrlPrefix { get; }

    /// <summary>The URI token sources are asked for (the origin with a slash).</summary>
    public string TokenAudience { get; }

    /// <summary>The origin as messages may show it.</summary>
    public string ShownOrigin { get; }

    public Version HttpVersion { get; }

    /// <summary>
    /// Whether requests say <c>Accept-Encoding</c> themselves (<see cref="ContentDecoding"/>): only when
    /// the handler is known not to decompress, so that one that does adds and handles its own.
    /// </summary>
    public bool AskForCompression { get; }

    public HttpVersionPolicy VersionPolicy { get; }

    /// <summary>True when per-call credentials must not be sent (plaintext to a host that is not loopback, not allowed).</summary>
    public bool Insecure { get; }

    public AccessTokenSource Tokens { get; }

    public RestMessageJson Json { get; }

    public bool ThrowOperationCanceledOnCancellation { get; }

    public int MaxResponseBodyBytes { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>The route of a method by its gRPC full name ("/pkg.Service/Method"), or null when it has none.</summary>
    /// <exception cref="FormatException">The method's rule cannot be used.</exception>
    public RestRoute? RouteOf(string grpcFullName, out string methodName)
    {
        if (!_routes.TryGetValue(grpcFullName, out Lazy<RestRoute?>? lazy))
        {
            string name = ProtoName(grpcFullName);
            lazy = _routes.GetOrAdd(grpcFullName, new Lazy<RestRoute?>(() => _methods.TryGetValue(name, out MethodDescriptor? m) ? RestRoute.For(m) : null));
        }

        RestRoute? route = lazy.Value;
        methodName = route?.Method.FullName ?? ProtoName(grpcFullName);
        return route;
    }

    // "/pkg.Service/Method" → "pkg.Service.Method".
    private static string ProtoName(string grpcFullName) => grpcFullName.TrimStart('/').Replace('/', '.');

    private static bool IsInsecure(Uri address) => address.Scheme == Uri.UriSchemeHttp && !address.IsLoopback;
}
