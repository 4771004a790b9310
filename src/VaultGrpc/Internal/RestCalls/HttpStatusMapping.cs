using System.Net;
using Grpc.Core;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>The gRPC code of an HTTP status, for REST errors whose body names no code (as DESIGN.md's table).</summary>
internal static class HttpStatusMapping
{
    /// <summary>The code for <paramref name="status"/>; never <see cref="StatusCode.OK"/>.</summary>
    public static StatusCode ToStatusCode(HttpStatusCode status) => (int)status switch
    {
        400 => StatusCode.InvalidArgument,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.NotFound,
        409 => StatusCode.Aborted,
        416 => StatusCode.OutOfRange,
        429 => StatusCode.ResourceExhausted,
        499 => StatusCode.Cancelled,
        >= 400 and < 500 => StatusCode.FailedPrecondition,
        501 => StatusCode.Unimplemented,
        503 => StatusCode.Unavailable,
        504 => StatusCode.DeadlineExceeded,
        >= 500 and < 600 => StatusCode.Internal,

        // 1xx/3xx (redirects are not followed) and nonsense codes: not an answer we understand.
        _ => StatusCode.Unknown,
    };
}
