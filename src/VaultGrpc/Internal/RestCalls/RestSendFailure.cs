using Grpc.Core;
using VaultGrpc.Internal.Text;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>How a REST request that failed locally (no HTTP answer to map) becomes an <see cref="RpcException"/> in the REST invoker.</summary>
internal static class RestSendFailure
{
    /// <summary><paramref name="prefix"/> plus the cause's message, redacted, one line and cut; the cause kept, redacted if it needs to be.</summary>
    public static RpcException ToRpcException(StatusCode code, string prefix, Exception cause, IReadOnlyList<string>? knownSecrets) =>
        new(new Status(code, prefix + ServerText.Snippet(cause.Message, ServerText.MessageLength, knownSecrets), RedactedException.IfNeeded(cause, knownSecrets)));

    /// <summary>Whether <paramref name="error"/> is how the HTTP stack reports a request it abandoned (cancelled or cut off).</summary>
    public static bool IsAbort(Exception error) =>
        error is OperationCanceledException or HttpRequestException or IOException;
}
