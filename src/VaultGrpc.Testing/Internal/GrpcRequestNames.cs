using System.Buffers.Binary;
using Google.Protobuf;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Testing.Internal;

/// <summary>Reads the operation name from a gRPC request body (one length-prefixed, uncompressed message), for the journal.</summary>
internal static class GrpcRequestNames
{
    public static string? TryRead(OperationsMethod? method, byte[] body)
    {
        if (method is null || body.Length < 5 || body[0] != 0)
        {
            return null;
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1, 4));
        if (length > body.Length - 5)
        {
            return null;
        }

        ReadOnlySpan<byte> message = body.AsSpan(5, (int)length);
        try
        {
            return method switch
            {
                OperationsMethod.List => ListOperationsRequest.Parser.ParseFrom(message).Name,
                OperationsMethod.Get => GetOperationRequest.Parser.ParseFrom(message).Name,
                OperationsMethod.Delete => DeleteOperationRequest.Parser.ParseFrom(message).Name,
                OperationsMethod.Cancel => CancelOperationRequest.Parser.ParseFrom(message).Name,
                _ => WaitOperationRequest.Parser.ParseFrom(message).Name,
            };
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
