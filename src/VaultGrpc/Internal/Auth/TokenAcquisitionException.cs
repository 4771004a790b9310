using VaultGrpc.Internal.Text;

namespace VaultGrpc.Internal.Auth;

/// <summary>
/// The token source failed (no ADC, metadata server unreachable, refresh refused, a token that
/// cannot be sent). Wrapping it keeps the token endpoint's own network errors from looking like a
/// gRPC connection failure, which would wrongly send the call to REST. The message names the
/// cause, never a token.
/// </summary>
internal sealed class TokenAcquisitionException(Exception cause)
    : Exception($"Could not get an access token: {cause.GetType().Name}: {ServerText.Snippet(cause.Message, ServerText.MessageLength)}", cause);
