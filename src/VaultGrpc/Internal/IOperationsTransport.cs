using VaultGrpc.LongRunning;

namespace VaultGrpc.Internal;

/// <summary>
/// One wire for the Operations RPCs. Names arrive validated. Failures surface as
/// <see cref="Grpc.Core.RpcException"/>, except that the gRPC transport throws
/// <see cref="GrpcNotServedException"/> when gRPC could not serve the call at all, and any
/// transport throws <see cref="OperationCanceledException"/> when the caller's token fired.
/// </summary>
internal interface IOperationsTransport
{
    /// <summary>Which wire this is.</summary>
    Transport Kind { get; }

    Task CancelAsync(string name, CallScope scope);

    Task<Operation> GetAsync(string name, CallScope scope);

    Task DeleteAsync(string name, CallScope scope);

    Task<ListOperationsResponse> ListAsync(ListOperationsRequest request, CallScope scope);
}
