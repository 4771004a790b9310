using Grpc.Core;

namespace VaultGrpc.Internal.Auth;

/// <summary>
/// One answer, on both transports, for a token source that failed: Unavailable when the token
/// endpoint could not be reached (worth a retry), else Unauthenticated. The message names the
/// token source as the culprit, not the API endpoint, and never carries a token.
/// </summary>
internal static class TokenFailure
{
    public static RpcException ToRpcException(Exception cause)
    {
        Exception root = cause is TokenAcquisitionException { InnerException: { } inner } ? inner : cause;
        StatusCode code = root is HttpRequestException or IOException ? StatusCode.Unavailable : StatusCode.Unauthenticated;
        return new RpcException(new Status(code, $"Could not get an access token: {root.GetType().Name}: {root.Message}", cause));
    }
}
