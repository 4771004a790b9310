using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.GrpcCalls.Connections;
using VaultGrpc.Internal.Naming;
using VaultGrpc.Internal.Text;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Internal.GrpcCalls;

/// <summary>
/// The Operations RPCs over the generated gRPC stub. Classifies its own failures: an answer from
/// the service is rethrown as the <see cref="RpcException"/> it is; gRPC not serving at all becomes
/// <see cref="GrpcNotServedException"/>; the caller's cancellation becomes <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class GrpcTransport : IOperationsTransport, IWaitOperationTransport, IDisposable
{
    private readonly Operations.OperationsClient _client;
    private readonly string _apiClientHeader;
    private readonly GrpcChannel? _ownedChannel;
    private readonly TimeProvider _timeProvider;
    private readonly Http2ConnectionWatch? _watch;
    private readonly string _authority;
    private readonly AccessTokenSource? _tokens;

    /// <summary>A transport over any invoker; the invoker's owner disposes it.</summary>
    internal GrpcTransport(CallInvoker invoker, string apiClientHeader, TimeProvider? timeProvider = null)
        : this(invoker, apiClientHeader, ownedChannel: null, timeProvider ?? TimeProvider.System, watch: null, tokens: null)
    {
    }

    private GrpcTransport(CallInvoker invoker, string apiClientHeader, GrpcChannel? ownedChannel, TimeProvider timeProvider, Http2ConnectionWatch? watch, AccessTokenSource? tokens)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(apiClientHeader);
        _watch = watch;
        _tokens = tokens;
        _authority = ownedChannel?.Target ?? "the gRPC endpoint";
        _client = new Operations.OperationsClient(invoker);
        _apiClientHeader = apiClientHeader;
        _ownedChannel = ownedChannel;
        _timeProvider = timeProvider;
    }

    public Transport Kind => Transport.Grpc;

    /// <summary>A transport on its own channel to <see cref="VaultOperationsClientOptions.Endpoint"/>, disposed with it.</summary>
    public static GrpcTransport Create(VaultOperationsClientOptions options, AccessTokenSource tokens, string apiClientHeader)
    {
        (GrpcChannel channel, Http2ConnectionWatch? watch) = GrpcChannelFactory.Create(options, tokens);
        return new GrpcTransport(channel.CreateCallInvoker(), apiClientHeader, channel, options.TimeProvider, watch, tokens);
    }

    public Task CancelAsync(string name, CallScope scope) => InvokeAsync(
        static (client, request, options) => client.CancelOperationAsync(request, options),
        new CancelOperationRequest { Name = name },
        name,
        scope);

    public Task<Operation> GetAsync(string name, CallScope scope) => InvokeAsync(
        static (client, request, options) => client.GetOperationAsync(request, options),
        new GetOperationRequest { Name = name },
        name,
        scope);

    public Task DeleteAsync(string name, CallScope scope) => InvokeAsync(
        static (client, request, options) => client.DeleteOperationAsync(request, options),
        new DeleteOperationRequest { Name = name },
        name,
        scope);

    public Task<ListOperationsResponse> ListAsync(ListOperationsRequest request, CallScope scope)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeAsync(
            static (client, request, options) => client.ListOperationsAsync(request, options),
            request,
            string.IsNullOrEmpty(request.Name) ? OperationNameRules.Collection : request.Name,
            scope);
    }

    public Task<Operation> WaitAsync(string name, TimeSpan waitTimeout, CallScope scope) => InvokeAsync(
        static (client, request, options) => client.WaitOperationAsync(request, options),
        new WaitOperationRequest { Name = name, Timeout = Duration.FromTimeSpan(waitTimeout) },
        name,
        scope);

    public void Dispose() => _ownedChannel?.Dispose();

    // Grpc.Net.Client measures deadlines on the system clock; the client's deadlines come from its
    // TimeProvider. Keep the time left, not the instant, when the two differ.
    private DateTime? OnSystemClock(DateTime? deadline)
    {
        if (deadline is not DateTime due || ReferenceEquals(_timeProvider, TimeProvider.System))
        {
            return deadline;
        }

        TimeSpan left = due - _timeProvider.GetUtcNow().UtcDateTime;
        DateTime now = DateTime.UtcNow;
        return left >= DateTime.MaxValue - now ? DateTime.MaxValue : now + left;
    }

    // A server's grpc-message (and a local exception quoting the server) is server text: masked, one
    // line and cut as REST messages are, so that an echoed token reaches neither caller nor logs.
    private RpcException Redacted(RpcException error)
    {
        IReadOnlyList<string>? secrets = _tokens?.KnownTokens;
        string detail = ServerText.Snippet(error.Status.Detail, ServerText.MessageLength, secrets);
        Exception? debug = RedactedException.IfNeeded(error.Status.DebugException, secrets);
        Metadata trailers = RedactedTrailers(error.Trailers, secrets);
        if (detail == error.Status.Detail && ReferenceEquals(debug, error.Status.DebugException) && ReferenceEquals(trailers, error.Trailers))
        {
            return error;
        }

        var redacted = new RpcException(new Status(error.StatusCode, detail, debug), trailers);
        foreach (System.Collections.DictionaryEntry entry in error.Data)
        {
            redacted.Data[entry.Key] = entry.Value;
        }

        return redacted;
    }

    // Text trailers a server sent are server text too (a gateway may echo the request's headers);
    // binary ones (grpc-status-details-bin) are left for Grpc.StatusProto. The same object when clean.
    private static Metadata RedactedTrailers(Metadata trailers, IReadOnlyList<string>? secrets)
    {
        if (!trailers.Any(entry => !entry.IsBinary && SecretRedaction.ContainsSecret(entry.Value, secrets)))
        {
            return trailers;
        }

        var redacted = new Metadata();
        foreach (Metadata.Entry entry in trailers)
        {
            if (entry.IsBinary)
            {
                redacted.Add(entry.Key, entry.ValueBytes);
            }
            else
            {
                redacted.Add(entry.Key, SecretRedaction.Redact(entry.Value, secrets));
            }
        }

        return redacted;
    }

    private string DeadlineMessage<TRequest>(TRequest request)
    {
        string method = request?.GetType().Name.Replace("Request", string.Empty, StringComparison.Ordinal) ?? "call";
        string connection = _watch switch
        {
            null => "the answer",
            { HasWorkingConnection: true } => "the answer on a working HTTP/2 connection (the server did not answer in time)",
            _ => "a working HTTP/2 connection, which was not established",
        };
        return $"The deadline of gRPC {method} to {_authority} passed while waiting for {connection}.";
    }

    private async Task<TResponse> InvokeAsync<TRequest, TResponse>(
        Func<Operations.OperationsClient, TRequest, CallOptions, AsyncUnaryCall<TResponse>> start,
        TRequest request,
        string routingName,
        CallScope scope)
    {
        var callOptions = new CallOptions(
            headers: GrpcCallHeaders.Create(_apiClientHeader, routingName),
            deadline: OnSystemClock(scope.Deadline),
            cancellationToken: scope.CancellationToken);
        try
        {
            using AsyncUnaryCall<TResponse> call = start(_client, request, callOptions);
            return await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException error) when (scope.CancellationToken.IsCancellationRequested)
        {
            // The caller's token fired: whatever gRPC made of it, the caller sees its own cancellation.
            throw new OperationCanceledException("The call was cancelled by the caller.", Redacted(error), scope.CancellationToken);
        }
        catch (RpcException error) when (error.Status.DebugException is TokenAcquisitionException tokenFailure)
        {
            // The same code and message as the REST transport gives for the same failure.
            throw TokenFailure.ToRpcException(tokenFailure);
        }
        catch (RpcException error) when (GrpcFailureClassifier.Classify(error, callerCancelled: false) is GrpcNotServedVerdict verdict)
        {
            // Classified on the original (its exception types), carried on redacted.
            throw new GrpcNotServedException(verdict.Reason, Redacted(error), GrpcFailureClassifier.Describe(error, _tokens?.KnownTokens), verdict.RequestMayHaveActed, verdict.OpensStickyWindow);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.DeadlineExceeded && error.Status.Detail.Length == 0)
        {
            // Grpc.Net.Client's own deadline says nothing; say what was waited for.
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, DeadlineMessage(request), error), error.Trailers);
        }
        catch (RpcException error) when (Redacted(error) is var redacted && !ReferenceEquals(redacted, error))
        {
            throw redacted;
        }
        catch (OperationCanceledException cancelled) when (!scope.CancellationToken.IsCancellationRequested && scope.Deadline is not null)
        {
            // Not the caller's token, so the call's deadline (an invoker configured to throw on
            // cancellation reports it so): surface it as gRPC does everywhere else.
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded", cancelled));
        }
    }
}
