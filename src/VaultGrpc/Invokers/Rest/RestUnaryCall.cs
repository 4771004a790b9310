using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.Delivery;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.Internal.Text;

namespace VaultGrpc.Invokers.Rest;

/// <summary>
/// One unary call over REST and what <see cref="AsyncUnaryCall{TResponse}"/> shows of it:
/// response headers, then the status and trailers once it has ended.
/// </summary>
internal sealed class RestUnaryCall : IDisposable
{
    // Deadlines further away than this need no timer (CancellationTokenSource caps its delay near 49 days).
    private static readonly TimeSpan LongestTimedDelay = TimeSpan.FromDays(30);

    private readonly RestInvokerCore _core;
    private readonly string _grpcMethodName;
    private readonly MethodType _methodType;
    private readonly CallOptions _options;

    // One token source per call aborts the request on its deadline (a timer) or when the call is
    // disposed (_disposeRequested tells which); the caller's token is registered on it, not linked.
    private CancellationTokenSource? _abort;
    private volatile bool _disposeRequested;

    // The response headers are made into Metadata only when asked for: the HttpResponseMessage once
    // they arrived, or the call's failure. A waiter exists only when they were asked for earlier.
    private object? _headersOutcome;
    private TaskCompletionSource<Metadata>? _headersWaiter;
    private Status? _status;
    private Metadata? _trailers;
    private HttpResponseMessage? _response;

    public RestUnaryCall(RestInvokerCore core, string grpcMethodName, MethodType methodType, CallOptions options)
    {
        _core = core;
        _grpcMethodName = grpcMethodName;
        _methodType = methodType;
        _options = options;
    }

    /// <summary>The response headers; faults as the call does when it fails before any answer.</summary>
    public Task<Metadata> ResponseHeaders()
    {
        if (Volatile.Read(ref _headersWaiter) is { } known)
        {
            return known.Task;
        }

        var waiter = new TaskCompletionSource<Metadata>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _headersWaiter, waiter, null) is { } raced)
        {
            return raced.Task;
        }

        // The call may have settled its headers before the waiter was in place: settle it from here too.
        if (Volatile.Read(ref _headersOutcome) is { } outcome)
        {
            Settle(waiter, outcome);
        }

        return waiter.Task;
    }

    /// <summary>The call's status; only once it has ended, as with a gRPC call.</summary>
    public Status GetStatus() => _status ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    /// <summary>The call's trailers (error details among them); only once it has ended.</summary>
    public Metadata GetTrailers()
    {
        if (_status is null)
        {
            throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");
        }

        return _trailers ??= _response is { } response ? MetadataHeaders.From(response.TrailingHeaders) : new Metadata();
    }

    /// <summary>Aborts the call if it is still running, as disposing a gRPC call does.</summary>
    public void Dispose()
    {
        if (_status is null && Volatile.Read(ref _abort) is { } abort)
        {
            _disposeRequested = true;
            try
            {
                abort.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call ended as it was disposed: nothing left to abort.
            }
        }
    }

    /// <summary>Runs the call; the task ends with the response or the exception a gRPC call would raise.</summary>
    public async Task<TResponse> RunAsync<TResponse>(IMessage request)
    {
        try
        {
            var response = (TResponse)await SendAsync(request).ConfigureAwait(false);
            _status = Status.DefaultSuccess;
            return response;
        }
        catch (RpcException ex)
        {
            _trailers ??= ex.Trailers;
            _status = ex.Status;
            FailHeaders(ex);
            throw;
        }
        catch (OperationCanceledException ex)
        {
            _trailers ??= new Metadata();
            _status = new Status(StatusCode.Cancelled, ex.Message, ex);
            FailHeaders(ex);
            throw;
        }
        catch (Exception ex)
        {
            // Input refused before any I/O (ArgumentException) and the like: no server status exists.
            _trailers ??= new Metadata();
            _status = new Status(StatusCode.InvalidArgument, ex.Message, ex);
            FailHeaders(ex);
            throw;
        }
        finally
        {
            _abort?.Dispose();
        }
    }

    // The response headers arrived (an HttpResponseMessage) or never will (the call's failure).
    private void SettleHeaders(object outcome)
    {
        if (Interlocked.CompareExchange(ref _headersOutcome, outcome, null) is null
            && Volatile.Read(ref _headersWaiter) is { } waiter)
        {
            // Someone asked before they came.
            Settle(waiter, outcome);
        }
    }

    private static void Settle(TaskCompletionSource<Metadata> waiter, object outcome)
    {
        if (outcome is HttpResponseMessage response)
        {
            waiter.TrySetResult(MetadataHeaders.From(response.Headers, response.Content.Headers));
        }
        else
        {
            // Observed here, so that a caller who never awaits them does not get an unobserved task
            // exception per failed call (grpc-dotnet raises none either).
            waiter.TrySetException((Exception)outcome);
            _ = waiter.Task.Exception;
        }
    }

    // Fails the response headers, unless they had arrived already.
    private void FailHeaders(Exception error) => SettleHeaders(error);

    private async Task<IMessage> SendAsync(IMessage request)
    {
        if (_methodType != MethodType.Unary)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, $"The {_methodType} method '{_grpcMethodName}' cannot be called over REST: there is no REST route for streaming methods."));
        }

        RestRoute route = FindRoute();
        CancellationToken callerToken = _options.CancellationToken;
        if (callerToken.IsCancellationRequested)
        {
            throw Cancelled(null);
        }

        // Built before the deadline timer starts, so a hostile value fails fast and without I/O.
        string url = route.PathAndQuery(request, _core.UrlPrefix);
        string? body = route.Body(request);

        CancellationTokenSource abort = StartAbort(_options.Deadline);
        Volatile.Write(ref _abort, abort);
        CancellationToken token = abort.Token;

        // Registered after the abort source exists and unregistered before it is disposed (RunAsync).
        using CancellationTokenRegistration callerCancels = callerToken.UnsafeRegister(static state => ((RestUnaryCall)state!).CancelAbort(), this);
        try
        {
            using HttpRequestMessage httpRequest = CreateRequest(route, url, body);
            if (_core.Tokens.HasCredentials || _options.Credentials is not null)
            {
                await AddCredentialsAsync(httpRequest, route, token).ConfigureAwait(false);
            }

            using HttpResponseMessage response = await _core.SendAsync(httpRequest, token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await RestErrors.FromResponseAsync(response, _core.Json, _core.Tokens.KnownTokens, token).ConfigureAwait(false);
            }

            _response = response;
            SettleHeaders(response);
            BoundedBody responseBody = await BoundedBody.ReadAsync(response.Content, _core.MaxResponseBodyBytes, readPrefixWhenTooLong: false, token).ConfigureAwait(false);
            return ParseSuccess(route, response, responseBody);
        }
        catch (Exception ex) when (callerToken.IsCancellationRequested && IsAbort(ex))
        {
            throw Cancelled(ex);
        }
        catch (Exception ex) when (abort.IsCancellationRequested && !_disposeRequested && IsAbort(ex))
        {
            throw _core.ThrowOperationCanceledOnCancellation
                ? new OperationCanceledException("The call's deadline passed before the REST endpoint answered.", ex)
                : new RpcException(new Status(StatusCode.DeadlineExceeded, "The call's deadline passed before the REST endpoint answered.", ex));
        }
        catch (Exception ex) when (_disposeRequested && IsAbort(ex))
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "The call was disposed before the REST endpoint answered.", ex));
        }
        // HttpClient's messages may quote the server (an invalid header line, say): they are server text.
        catch (OperationCanceledException ex)
        {
            throw Failure(StatusCode.Cancelled, "The REST request was cancelled by the HTTP stack: ", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The cause stays attached (redacted if needed): DeliveryEvidence reads connect-phase failures from it.
            throw Failure(StatusCode.Unavailable, $"The REST endpoint {_core.ShownOrigin} could not be reached: ", ex);
        }
        catch (Exception ex) when (ex is not RpcException and not ArgumentException and not ObjectDisposedException)
        {
            throw Failure(StatusCode.Internal, $"The REST request to {_core.ShownOrigin} failed: ", ex);
        }
    }

    private RestRoute FindRoute()
    {
        RestRoute? route;
        string methodName;
        try
        {
            route = _core.RouteOf(_grpcMethodName, out methodName);
        }
        catch (FormatException ex)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, $"The REST route of '{_grpcMethodName}' cannot be used: {ex.Message}", ex));
        }

        return route ?? throw new RpcException(new Status(StatusCode.Unimplemented,
            $"The method '{methodName}' has no REST route: it carries no google.api.http rule, or its service is not among the invoker's Services."));
    }

    private Exception Cancelled(Exception? cause) =>
        _core.ThrowOperationCanceledOnCancellation
            ? new OperationCanceledException("The call was cancelled by the caller.", cause, _options.CancellationToken)
            : DeliveryEvidenceIfUnsent(cause, new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client.", cause)));

    // A call cancelled before anything was sent provably never reached a server.
    private static RpcException DeliveryEvidenceIfUnsent(Exception? cause, RpcException error) =>
        cause is null ? DeliveryEvidence.MarkNotDelivered(error) : error;

    private RpcException Failure(StatusCode code, string prefix, Exception cause) =>
        RestSendFailure.ToRpcException(code, prefix, cause, _core.Tokens.KnownTokens);

    private static bool IsAbort(Exception ex) => RestSendFailure.IsAbort(ex);

    // The caller's token fired: abort the request (the catch filters read the caller's token itself).
    private void CancelAbort()
    {
        try
        {
            _abort?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call has ended.
        }
    }

    private CancellationTokenSource StartAbort(DateTime? deadline)
    {
        if (deadline is not DateTime due || due == DateTime.MaxValue)
        {
            return new CancellationTokenSource();
        }

        TimeSpan remaining = due.ToUniversalTime() - _core.TimeProvider.GetUtcNow().UtcDateTime;
        if (remaining <= TimeSpan.Zero)
        {
            // No I/O for a call that is already late, as gRPC does.
            throw _core.ThrowOperationCanceledOnCancellation
                ? new OperationCanceledException("The call's deadline had passed before the REST request was sent.")
                : DeliveryEvidence.MarkNotDelivered(new RpcException(new Status(StatusCode.DeadlineExceeded, "The call's deadline had passed before the REST request was sent.")));
        }

        return remaining > LongestTimedDelay ? new CancellationTokenSource() : new CancellationTokenSource(remaining, _core.TimeProvider);
    }

    private HttpRequestMessage CreateRequest(RestRoute route, string url, string? body)
    {
        // The path is percent-encoded and free of dot segments (PathVariable), so Uri keeps it as is.
        var request = new HttpRequestMessage(route.HttpMethod, new Uri(url, UriKind.Absolute))
        {
            Version = _core.HttpVersion,
            VersionPolicy = _core.VersionPolicy,
        };
        try
        {
            // Unparsed: the typed Accept collection costs an object and an enumerator per request.
            request.Headers.TryAddWithoutValidation("Accept", "application/json");
            if (_core.AskForCompression)
            {
                request.Headers.TryAddWithoutValidation("Accept-Encoding", ContentDecoding.AcceptEncoding);
            }
            if (body is not null)
            {
                request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            }
            else if (route.HttpMethod != HttpMethod.Get && route.HttpMethod != HttpMethod.Head)
            {
                // No body on this route: an explicit empty one sends Content-Length: 0. Over HTTP/1.1
                // SocketsHttpHandler silently re-sends a request *without* content when its connection
                // closes before an answer; with content it never does, so a Delete is sent once.
                request.Content = new ByteArrayContent([]);
            }

            MetadataHeaders.Add(request, _options.Headers);
            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private async Task AddCredentialsAsync(HttpRequestMessage request, RestRoute route, CancellationToken cancellationToken)
    {
        IReadOnlyList<KeyValuePair<string, string>> headers;
        try
        {
            headers = await _core.Tokens.GetHeadersAsync(_core.TokenAudience, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw TokenFailure.ToRpcException(ex);
        }

        foreach (KeyValuePair<string, string> header in headers)
        {
            AddSecretHeader(request, header.Key, header.Value);
        }

        if (_options.Credentials is { } perCall)
        {
            if (_core.Insecure)
            {
                throw DeliveryEvidence.MarkNotDelivered(new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"The call's credentials would go over plaintext to {_core.ShownOrigin}, which is not loopback; use https or set AllowInsecureCredentials.")));
            }

            Metadata added;
            try
            {
                var context = new AuthInterceptorContext(_core.Origin + "/" + route.Method.Service.FullName, route.Method.Name, cancellationToken);
                added = await CallCredentialsHeaders.GetAsync(perCall, context).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not RpcException)
            {
                throw TokenFailure.ToRpcException(ex);
            }

            foreach (Metadata.Entry entry in added)
            {
                AddSecretHeader(request, entry.Key, entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value);
            }
        }
    }

    private static void AddSecretHeader(HttpRequestMessage request, string name, string value)
    {
        if (!request.Headers.TryAddWithoutValidation(name, value))
        {
            // The value is a secret: only the header's name goes into the message.
            throw DeliveryEvidence.MarkNotDelivered(new RpcException(new Status(StatusCode.Unauthenticated, $"The credential produced a header '{name}' that cannot be sent.")));
        }
    }

    private IMessage ParseSuccess(RestRoute route, HttpResponseMessage response, BoundedBody body)
    {
        IReadOnlyList<string> secrets = _core.Tokens.KnownTokens;
        Google.Protobuf.Reflection.MessageDescriptor output = route.Method.OutputType;
        if (body.Truncated)
        {
            // The server answered 2xx, so it acted, whatever the body holds: a Delete must not be re-sent.
            throw DeliveryEvidence.MarkMayHaveActed(new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"The REST response body is larger than {_core.MaxResponseBodyBytes} bytes ({RestErrors.Describe(response, secrets)}).")));
        }

        ReadOnlySpan<byte> json = body.Span.Trim(" \t\r\n"u8);
        bool fieldless = output.Fields.InDeclarationOrder().Count == 0;
        if (fieldless && json.SequenceEqual("{}"u8))
        {
            // The usual answer of Cancel and Delete (an Empty): nothing to parse.
            return output.Parser.ParseFrom(ReadOnlySpan<byte>.Empty);
        }

        if (json.IsEmpty)
        {
            // An empty answer is a default message for types without fields to miss (Empty); otherwise suspicious.
            return fieldless
                ? output.Parser.ParseFrom(ReadOnlySpan<byte>.Empty)
                : throw DeliveryEvidence.MarkMayHaveActed(new RpcException(new Status(StatusCode.Internal,
                    $"The REST endpoint answered {RestErrors.Describe(response, secrets)} with an empty body where a {output.Name} was expected.")));
        }

        try
        {
            return _core.Json.Parse(body.Span, output);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidProtocolBufferException or IOException or FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            string mediaType = ServerText.Snippet(response.Content.Headers.ContentType?.MediaType, 100, secrets) is { Length: > 0 } type ? $" ({type})" : string.Empty;
            throw DeliveryEvidence.MarkMayHaveActed(new RpcException(new Status(
                StatusCode.Internal,
                $"The REST endpoint answered {RestErrors.Describe(response, secrets)} with a body that is not a {output.Name} in JSON{mediaType}: {RestErrors.Snippet(body.Span, knownSecrets: secrets)}",
                RedactedException.IfNeeded(ex, secrets))));
        }
    }
}
