using Grpc.Core;
using VaultGrpc.Internal;

namespace VaultGrpc.Tests.Support;

/// <summary>The failures transports report, made the way the real ones make them.</summary>
internal static class Failures
{
    public static RpcException Answered(StatusCode code, string detail = "from the service") => new(new Status(code, detail));

    public static GrpcNotServedException NotServed(FallbackReason reason) => reason switch
    {
        FallbackReason.GrpcUnimplemented => new(reason, new RpcException(new Status(StatusCode.Unimplemented, "Method is unimplemented."))),
        FallbackReason.GrpcNoConnection => new(reason, new RpcException(new Status(
            StatusCode.Unavailable, "Error connecting to subchannel.", new HttpRequestException("Connection refused (127.0.0.1:1)")))),
        _ => new(reason, new RpcException(new Status(StatusCode.Internal, "Bad gRPC response. HTTP status code: 503"))),
    };
}
