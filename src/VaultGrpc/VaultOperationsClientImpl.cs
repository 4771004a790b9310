using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VaultGrpc.Internal;
using VaultGrpc.Internal.Calls;
using VaultGrpc.Internal.Lifecycle;
using VaultGrpc.Internal.Naming;
using VaultGrpc.Internal.Telemetry;
using VaultGrpc.Internal.Waiting;
using VaultGrpc.LongRunning;

namespace VaultGrpc;

/// <summary>
/// The real client: each call validates its input, then runs through <see cref="OperationCalls"/>
/// (telemetry, retries, the attempt) into the one generated stub over the stack's invoker.
/// </summary>
internal sealed class VaultOperationsClientImpl : VaultOperationsClient
{
    private readonly VaultOperationsClientOptions _options;
    private readonly OperationsStack _stack;
    private readonly OperationCalls _calls;
    private readonly OperationWaiter _waiter;

    /// <summary>Over the transports <paramref name="options"/> (validated, frozen) name.</summary>
    public VaultOperationsClientImpl(VaultOperationsClientOptions options)
        : this(options, new OperationsStack(options))
    {
    }

    /// <summary>Over a given stack (tests build one on scripted invokers).</summary>
    internal VaultOperationsClientImpl(VaultOperationsClientOptions options, OperationsStack stack)
    {
        _options = options;
        _stack = stack;
        ILogger logger = RedactingLoggerFactory.Wrap(options.LoggerFactory)?.CreateLogger("VaultGrpc.VaultOperationsClient") ?? NullLogger.Instance;
        _calls = new OperationCalls(options, stack, logger);
        _waiter = new OperationWaiter(_calls, stack, options, logger);
    }

    public override VaultTransportStatus TransportStatus => _stack.Status;

    public override TimeProvider TimeProvider => _options.TimeProvider;

    public override Task<VaultCallInfo> CancelAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        string validName = OperationNameRules.ValidateOperation(name, nameof(name));
        return _calls.InvokeAsync(
            RpcMethod.Cancel,
            new CancelOperationRequest { Name = validName },
            validName,
            static (stub, request, options) => stub.CancelOperationAsync(request, options),
            static (Empty _, VaultCallInfo call) => call,
            timeout,
            cancellationToken);
    }

    public override Task<VaultResponse<Operation>> GetAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        string validName = OperationNameRules.ValidateOperation(name, nameof(name));
        return _calls.InvokeAsync(
            RpcMethod.Get,
            new GetOperationRequest { Name = validName },
            validName,
            static (stub, request, options) => stub.GetOperationAsync(request, options),
            timeout,
            cancellationToken);
    }

    public override Task<VaultCallInfo> DeleteAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        string validName = OperationNameRules.ValidateOperation(name, nameof(name));
        return _calls.InvokeAsync(
            RpcMethod.Delete,
            new DeleteOperationRequest { Name = validName },
            validName,
            static (stub, request, options) => stub.DeleteOperationAsync(request, options),
            static (Empty _, VaultCallInfo call) => call,
            timeout,
            cancellationToken);
    }

    public override Task<VaultResponse<ListOperationsResponse>> ListPageAsync(
        string? filter = null, int pageSize = 0, string? pageToken = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pageSize);
        var request = new ListOperationsRequest
        {
            Name = OperationNameRules.Collection,
            Filter = filter ?? string.Empty,
            PageSize = pageSize,
            PageToken = pageToken ?? string.Empty,
        };
        return _calls.InvokeAsync(
            RpcMethod.List,
            request,
            OperationNameRules.Collection,
            static (stub, request, options) => stub.ListOperationsAsync(request, options),
            timeout,
            cancellationToken);
    }

    public override Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan? waitTimeout = null, CancellationToken cancellationToken = default)
    {
        string validName = OperationNameRules.ValidateOperation(name, nameof(name));
        if (waitTimeout is { } wait && wait <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(waitTimeout), waitTimeout, "The wait timeout must be positive.");
        }

        return _waiter.WaitAsync(validName, waitTimeout ?? _options.DefaultWaitTimeout, cancellationToken);
    }

    public override Task<VaultCancelResult> CancelAndConfirmAsync(string name, TimeSpan? confirmTimeout = null, CancellationToken cancellationToken = default)
    {
        string validName = OperationNameRules.ValidateOperation(name, nameof(name));
        TimeSpan watch = CancelConfirmation.Validate(confirmTimeout);
        var trace = new CallTrace();
        return CancelConfirmation.RunAsync(
            validName,
            async () =>
            {
                VaultResponse<Empty> response = await _calls.InvokeAsync(
                    RpcMethod.Cancel,
                    new CancelOperationRequest { Name = validName },
                    validName,
                    static (stub, request, options) => stub.CancelOperationAsync(request, options),
                    null,
                    cancellationToken,
                    trace).ConfigureAwait(false);
                return response.Call;
            },
            () => _waiter.WaitAsync(validName, watch, cancellationToken),
            // The failed cancel's trace says which transport answered last (REST after gRPC's UNIMPLEMENTED).
            () => trace.Transport is { } transport ? new VaultCallInfo(transport, trace.Fallback, trace.FallbackDetail, 1) : null);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stack.Dispose();
        }
    }
}
