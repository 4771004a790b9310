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

    /// <summary>The enum name Google writes in the AIP-193 <c>status</c> field, e.g. <c>NOT_FOUND</c>.</summary>
    public static string ToStatusName(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => "UNKNOWN",
    };
}
