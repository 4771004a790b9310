using Grpc.Core;

namespace VaultGrpc.Testing.Internal;

/// <summary>The HTTP status Google's REST front answers for each gRPC code (google/rpc/code.proto).</summary>
internal static class HttpStatusMapping
{
    public static int ToHttp(StatusCode code) => code switch
    {
        StatusCode.OK => 200,
        StatusCode.Cancelled => 499,
        StatusCode.InvalidArgument => 400,
        StatusCode.DeadlineExceeded => 504,
        StatusCode.NotFound => 404,
        StatusCode.AlreadyExists => 409,
        StatusCode.PermissionDenied => 403,
        StatusCode.Unauthenticated => 401,
        StatusCode.ResourceExhausted => 429,
        StatusCode.FailedPrecondition => 400,
        StatusCode.Aborted => 409,
        StatusCode.OutOfRange => 400,
        StatusCode.Unimplemented => 501,
        StatusCode.Unavailable => 503,
        _ => 500,
    };

    /// <summary>The enum name Google writes in the AIP-193 <c>status</c> field, e.g. <c>NOT_FOUND</c>: google.rpc.Code's own.</summary>
    public static string ToStatusName(StatusCode code) =>
        Google.Rpc.CodeReflection.Descriptor.EnumTypes[0].FindValueByNumber((int)code)?.Name ?? "UNKNOWN";
}
