namespace VaultGrpc.Internal.Auth;

/// <summary>
/// A credential produced an access token that cannot be sent (see <see cref="AccessTokenRules"/>).
/// Nothing was sent with it; the message names the problem, never the token.
/// </summary>
internal sealed class InvalidAccessTokenException(string problem)
    : Exception($"The credential returned an access token that cannot be sent: {problem}. {AccessTokenRules.Rule}");
