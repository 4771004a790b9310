using Google.Protobuf;
using Grpc.Core;

namespace VaultGrpc;

/// <summary>
/// An operation ended with an error: thrown by <see cref="VaultOperation{TResponse, TMetadata}.Result"/>.
/// An <see cref="RpcException"/> with the operation's code and message, whose <see cref="RpcStatus"/> is
/// the operation's full <c>google.rpc.Status</c>, details included (also readable with
/// <c>GetRpcStatus()</c>, as for a failed call).
/// </summary>
public sealed class VaultOperationFailedException : RpcException
{
    /// <summary>For an operation that ended with <paramref name="status"/>.</summary>
    /// <param name="operationName">The operation's name.</param>
    /// <param name="status">Its error.</param>
    public VaultOperationFailedException(string operationName, Google.Rpc.Status status)
        : base(
            new Grpc.Core.Status((StatusCode)status.Code, status.Message),
            DetailsTrailer(status),
            $"Operation {operationName} failed: {(StatusCode)status.Code}: {status.Message}")
    {
        OperationName = operationName;
        RpcStatus = status.Clone();
    }

    /// <summary>The operation's name.</summary>
    public string OperationName { get; }

    /// <summary>The operation's error: code, message and details.</summary>
    public Google.Rpc.Status RpcStatus { get; }

    private static Metadata DetailsTrailer(Google.Rpc.Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new Metadata { { "grpc-status-details-bin", status.ToByteArray() } };
    }
}
