using Grpc.Core;
using VaultGrpc.Internal.Delivery;
using VaultGrpc.Internal.Text;

namespace VaultGrpc.Internal.Auth;

/// <summary>
/// One answer, on both transports, for a token source that failed: Unavailable when the token
/// endpoint could not be reached (worth a retry), else Unauthenticated — a token that cannot be
/// sent included. The message names the token source as the culprit, not the API endpoint, and
/// never carries a token: the token endpoint's own text is redacted like any server's. Tokens are
/// fetched before a request is sent, so the failure proves the request never left (a Delete may be
/// retried, not reported as outcome unknown).
/// </summary>
internal static class TokenFailure
{
    public static RpcException ToRpcException(Exception cause)
    {
        Exception root = cause is TokenAcquisitionException { InnerException: { } inner } ? inner : cause;
        if (root is InvalidAccessTokenException invalid)
        {
            return DeliveryEvidence.MarkNotDelivered(new RpcException(new Status(StatusCode.Unauthenticated, invalid.Message, invalid)));
        }

        StatusCode code = root is HttpRequestException or IOException ? StatusCode.Unavailable : StatusCode.Unauthenticated;
        string detail = $"Could not get an access token: {root.GetType().Name}: {ServerText.Snippet(root.Message, ServerText.MessageLength)}";
        return DeliveryEvidence.MarkNotDelivered(new RpcException(new Status(code, detail, RedactedException.IfNeeded(cause))));
    }
}
