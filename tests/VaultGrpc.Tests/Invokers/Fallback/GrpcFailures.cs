using System.Net.Http;
using Grpc.Core;

namespace VaultGrpc.Tests.Invokers.Fallback;

/// <summary>gRPC failures as Grpc.Net.Client and real servers report them (see the README's table).</summary>
internal static class GrpcFailures
{
    /// <summary>grpc-dotnet's server for a method its service lacks (measured in <see cref="UnimplementedWordingTests"/>).</summary>
    public static RpcException MethodUnimplemented() => new(new Status(StatusCode.Unimplemented, "Method is unimplemented."));

    /// <summary>grpc-dotnet's server for a service it does not host.</summary>
    public static RpcException ServiceUnimplemented() => new(new Status(StatusCode.Unimplemented, "Service is unimplemented."));

    /// <summary>Nothing listening: proves the request was never delivered.</summary>
    public static RpcException NoConnection() => new(new Status(
        StatusCode.Unavailable,
        "Error starting gRPC call. HttpRequestException: Connection refused (127.0.0.1:1)",
        new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:1)")));

    /// <summary>An HTTP/2 gateway's 503 after it may have forwarded the request: ambiguous.</summary>
    public static RpcException Gateway503() => new(new Status(StatusCode.Unavailable, "Bad gRPC response. HTTP status code: 503"));

    public static RpcException Answered(StatusCode code) => new(new Status(code, $"the service says {code}"));
}
