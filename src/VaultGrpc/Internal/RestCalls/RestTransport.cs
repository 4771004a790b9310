using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.Delivery;
using VaultGrpc.Internal.Naming;
using VaultGrpc.Internal.Telemetry;
using VaultGrpc.Internal.Text;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// The Operations RPCs over the REST routes transcoded from the proto's google.api.http rules,
/// with proto3 JSON bodies. Every failure surfaces as <see cref="RpcException"/>, except the
/// caller's own cancellation, which surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class RestTransport : IOperationsTransport, IDisposable
{
    /// <summary>Largest success body accepted, as gRPC's default receive limit.</summary>
    public const int MaxResponseBodyBytes = 4 * 1024 * 1024;

    // Deadlines further away than this need no timer (CancellationTokenSource caps its delay near 49 days).
    private static readonly TimeSpan LongestTimedDelay = TimeSpan.FromDays(30);

    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly HttpClient _httpClient;
    private readonly string _origin;
    private readonly string _shownOrigin;
    private readonly string _authority;
    private readonly AccessTokenSource _tokens;
    private readonly string _apiClientHeader;
    private readonly TimeProvider _timeProvider;
    private readonly Version _httpVersion;
    private readonly HttpVersionPolicy _httpVersionPolicy;
    private readonly RestMessageJson _json;

    /// <summary>
    /// Sends through <paramref name="httpClient"/>, which this transport disposes; bodies are read
    /// with <paramref name="json"/> (default <see cref="RestMessageJson.Default"/>).
    /// </summary>
    internal RestTransport(
        HttpClient httpClient,
        Uri baseAddress,
        AccessTokenSource tokens,
        string apiClientHeader,
        TimeProvider timeProvider,
        Version? httpVersion = null,
        HttpVersionPolicy? httpVersionPolicy = null,
        RestMessageJson? json = null)
    {
        (Version defaultVersion, HttpVersionPolicy defaultPolicy) = RestHttpClientFactory.DefaultVersionFor(baseAddress);
        _httpClient = httpClient;
        _origin = baseAddress.GetLeftPart(UriPartial.Authority);
        _authority = _origin + "/";
        // Options validation refuses user information in endpoints; messages mask it all the same.
        _shownOrigin = EndpointText.Masked(_origin);
        _tokens = tokens;
        _apiClientHeader = apiClientHeader;
        _timeProvider = timeProvider;
        _httpVersion = httpVersion ?? defaultVersion;
        _httpVersionPolicy = httpVersionPolicy ?? defaultPolicy;
        _json = json ?? RestMessageJson.Default;
    }

    /// <inheritdoc />
    public Transport Kind => Transport.Rest;

    /// <summary>
    /// The transport of a client: one HttpClient to <c>RestEndpoint ?? Endpoint</c>, and one parser
    /// that knows the client's <see cref="VaultOperationsClientOptions.AnyTypes"/>.
    /// </summary>
    public static RestTransport Create(VaultOperationsClientOptions options, AccessTokenSource tokens, string apiClientHeader) =>
        new(
            RestHttpClientFactory.Create(options),
            options.RestEndpoint ?? options.Endpoint,
            tokens,
            apiClientHeader,
            options.TimeProvider,
            json: new RestMessageJson(KnownTypes.With(options.AnyTypes)));

    /// <inheritdoc />
    public Task CancelAsync(string name, CallScope scope) =>
        SendAsync<Empty>(HttpMethod.Post, PathOf(name) + ":cancel", emptyBodyIsSuccess: true, scope);

    /// <inheritdoc />
    public Task<Operation> GetAsync(string name, CallScope scope) =>
        SendAsync<Operation>(HttpMethod.Get, PathOf(name), emptyBodyIsSuccess: false, scope);

    /// <inheritdoc />
    public Task DeleteAsync(string name, CallScope scope) =>
        SendAsync<Empty>(HttpMethod.Delete, PathOf(name), emptyBodyIsSuccess: true, scope);

    /// <inheritdoc />
    public Task<ListOperationsResponse> ListAsync(ListOperationsRequest request, CallScope scope) =>
        SendAsync<ListOperationsResponse>(HttpMethod.Get, ListOperationsQuery.ToPathAndQuery(request), emptyBodyIsSuccess: false, scope);

    /// <inheritdoc />
    public void Dispose() => _httpClient.Dispose();

    // The facade validated already; checking again costs little and keeps this transport safe on
    // its own, as a name with a '..' segment would otherwise reach another resource.
    private static string PathOf(string name) =>
        OperationNameRules.ToRestPath(OperationNameRules.ValidateOperation(name, nameof(name)));

    private async Task<TResponse> SendAsync<TResponse>(HttpMethod method, string pathAndQuery, bool emptyBodyIsSuccess, CallScope scope)
        where TResponse : IMessage<TResponse>, new()
    {
        CancellationToken callerToken = scope.CancellationToken;
        callerToken.ThrowIfCancellationRequested();
        using CancellationTokenSource? deadlineSource = StartDeadline(scope.Deadline);
        // Link the two only when both can fire: the common cases need no extra source.
        using CancellationTokenSource? linked = deadlineSource is not null && callerToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(callerToken, deadlineSource.Token)
            : null;
        CancellationToken token = linked?.Token ?? deadlineSource?.Token ?? callerToken;

        try
        {
            using HttpRequestMessage request = await CreateRequestAsync(method, pathAndQuery, token).ConfigureAwait(false);
            using HttpResponseMessage response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await RestErrors.FromResponseAsync(response, _json, _tokens.KnownTokens, token).ConfigureAwait(false);
            }

            BoundedBody body = await BoundedBody.ReadAsync(response.Content, MaxResponseBodyBytes, readPrefixWhenTooLong: false, token).ConfigureAwait(false);
            return ParseSuccess<TResponse>(response, body, emptyBodyIsSuccess);
        }
        catch (Exception ex) when (callerToken.IsCancellationRequested && IsAbort(ex))
        {
            throw new OperationCanceledException("The call was cancelled by the caller.", ex, callerToken);
        }
        catch (Exception ex) when (deadlineSource?.IsCancellationRequested == true && IsAbort(ex))
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, "The call's deadline passed before the REST endpoint answered.", ex));
        }
        // HttpClient's messages may quote the server (an invalid header line, say): they are server text.
        catch (OperationCanceledException ex)
        {
            // Neither the caller nor the deadline: the HTTP stack gave up on its own.
            throw Failure(StatusCode.Cancelled, "The REST request was cancelled by the HTTP stack: ", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw Failure(StatusCode.Unavailable, $"The REST endpoint {_shownOrigin} could not be reached: ", ex);
        }
        catch (Exception ex) when (ex is not RpcException and not ObjectDisposedException)
        {
            throw Failure(StatusCode.Internal, $"The REST request to {_shownOrigin} failed: ", ex);
        }
    }

    private RpcException Failure(StatusCode code, string prefix, Exception cause) =>
        RestSendFailure.ToRpcException(code, prefix, cause, _tokens.KnownTokens);

    private static bool IsAbort(Exception ex) => RestSendFailure.IsAbort(ex);

    private CancellationTokenSource? StartDeadline(DateTime? deadline)
    {
        if (deadline is not DateTime due || due == DateTime.MaxValue)
        {
            return null;
        }

        TimeSpan remaining = due - _timeProvider.GetUtcNow().UtcDateTime;
        if (remaining <= TimeSpan.Zero)
        {
            // No I/O for a call that is already late, as gRPC does.
            throw DeliveryEvidence.MarkNotDelivered(new RpcException(new Status(StatusCode.DeadlineExceeded, "The call's deadline had passed before the REST request was sent.")));
        }

        return remaining > LongestTimedDelay ? null : new CancellationTokenSource(remaining, _timeProvider);
    }

    private async Task<HttpRequestMessage> CreateRequestAsync(HttpMethod method, string pathAndQuery, CancellationToken cancellationToken)
    {
        // The path is already percent-encoded and free of dot segments (OperationNameRules), so Uri keeps it as is.
        var request = new HttpRequestMessage(method, new Uri(_origin + pathAndQuery, UriKind.Absolute))
        {
            Version = _httpVersion,
            VersionPolicy = _httpVersionPolicy,
        };
        try
        {
            request.Headers.Accept.Add(AcceptJson);
            request.Headers.TryAddWithoutValidation(ApiClientHeader.Name, _apiClientHeader);
            if (method == HttpMethod.Post || method == HttpMethod.Delete)
            {
                // Cancel has no body: an explicit empty content sends Content-Length: 0 and no content type.
                // Delete gets one too, for safety: over HTTP/1.1 SocketsHttpHandler silently re-sends a
                // request *without* content when its connection closes before an answer (measured: one
                // delete reached the server four times); with content it never does.
                request.Content = new ByteArrayContent([]);
            }

            foreach (KeyValuePair<string, string> header in await GetAuthHeadersAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value))
                {
                    // The value is a secret: only the header's name goes into the message.
                    throw new RpcException(new Status(StatusCode.Unauthenticated, $"The credential produced a header '{header.Key}' that cannot be sent."));
                }
            }

            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private async Task<IReadOnlyList<KeyValuePair<string, string>>> GetAuthHeadersAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _tokens.GetHeadersAsync(_authority, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw TokenFailure.ToRpcException(ex);
        }
    }

    private TResponse ParseSuccess<TResponse>(HttpResponseMessage response, BoundedBody body, bool emptyBodyIsSuccess)
        where TResponse : IMessage<TResponse>, new()
    {
        if (body.Truncated)
        {
            // The server answered 2xx, so it acted, whatever the body holds: a Delete must not be re-sent.
            throw DeliveryEvidence.MarkMayHaveActed(new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"The REST response body is larger than {MaxResponseBodyBytes} bytes ({RestErrors.Describe(response, _tokens.KnownTokens)}).")));
        }

        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return emptyBodyIsSuccess
                ? new TResponse()
                : throw new RpcException(new Status(StatusCode.Internal, $"The REST endpoint answered {RestErrors.Describe(response, _tokens.KnownTokens)} with an empty body where a {new TResponse().Descriptor.Name} was expected."));
        }

        try
        {
            return (TResponse)_json.Parse(body.Span, new TResponse().Descriptor);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidProtocolBufferException or IOException or FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            IReadOnlyList<string> secrets = _tokens.KnownTokens;
            string mediaType = ServerText.Snippet(response.Content.Headers.ContentType?.MediaType, 100, secrets) is { Length: > 0 } type ? $" ({type})" : string.Empty;
            throw new RpcException(new Status(
                StatusCode.Internal,
                $"The REST endpoint answered {RestErrors.Describe(response, secrets)} with a body that is not a {new TResponse().Descriptor.Name} in JSON{mediaType}: {RestErrors.Snippet(body.Span, knownSecrets: secrets)}",
                RedactedException.IfNeeded(ex, secrets)));
        }
    }
}
