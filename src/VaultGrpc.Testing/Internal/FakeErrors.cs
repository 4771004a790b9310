using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace VaultGrpc.Testing.Internal;

/// <summary>Errors of the fake as <see cref="RpcException"/>s that carry their <c>google.rpc.Status</c> (details included).</summary>
internal static class FakeErrors
{
    public static RpcException Create(StatusCode code, string message, IEnumerable<IMessage>? details = null)
        => ToException(CreateStatus(code, message, details));

    public static Google.Rpc.Status CreateStatus(StatusCode code, string message, IEnumerable<IMessage>? details = null)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (IMessage detail in details ?? [])
        {
            status.Details.Add(Any.Pack(detail));
        }

        return status;
    }

    public static RpcException ToException(Google.Rpc.Status status) => status.ToRpcException();

    /// <summary>The full status of an exception: from its details trailer when it has one, else its code and message.</summary>
    public static Google.Rpc.Status ToStatus(RpcException exception)
        => exception.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)exception.StatusCode, Message = exception.Status.Detail };
}
