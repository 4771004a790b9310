using Grpc.Core;
using VaultGrpc.Tests.Invokers.Fallback;

namespace VaultGrpc.Tests.Support;

/// <summary>
/// Failures as an inner invoker reports them, for the client's policy tests: the service's own
/// answers, and what Grpc.Net.Client says when gRPC could not serve (more in <see cref="GrpcFailures"/>).
/// </summary>
internal static class Failures
{
    /// <summary>A status the service sent: gRPC serves, whatever the code.</summary>
    public static RpcException Answered(StatusCode code, string detail = "from the service") => new(new Status(code, detail));

    /// <summary>Grpc.Net.Client's report of an HTTP/2 answer that is not gRPC (a proxy's login page): gRPC is not served, nothing acted.</summary>
    public static RpcException NotGrpcAnswer() => new(new Status(StatusCode.Cancelled, "Bad gRPC response. Invalid content-type value: text/html"));

    /// <summary>One of the shapes above or in <see cref="GrpcFailures"/>, by its method's name (for theory data).</summary>
    public static RpcException Named(string name) => name switch
    {
        nameof(GrpcFailures.MethodUnimplemented) => GrpcFailures.MethodUnimplemented(),
        nameof(GrpcFailures.ServiceUnimplemented) => GrpcFailures.ServiceUnimplemented(),
        nameof(GrpcFailures.NoConnection) => GrpcFailures.NoConnection(),
        nameof(GrpcFailures.Gateway503) => GrpcFailures.Gateway503(),
        nameof(NotGrpcAnswer) => NotGrpcAnswer(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No failure of that name."),
    };
}
