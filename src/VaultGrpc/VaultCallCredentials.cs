using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using VaultGrpc.Internal.Auth;

namespace VaultGrpc;

/// <summary>
/// gRPC <see cref="CallCredentials"/> from the same token sources the client uses, for callers who
/// build their own <c>GrpcChannel</c> (Grpc.Auth's <c>ToCallCredentials</c>, without that package).
/// Each call gets <c>authorization: Bearer …</c> and, for an <see cref="ITokenAccessWithHeaders"/>,
/// its extra headers (such as <c>x-goog-user-project</c>). The call's service URL is passed as the
/// token's authority.
/// </summary>
public static class VaultCallCredentials
{
    /// <summary>Call credentials that ask <paramref name="tokenAccess"/> for a token on every call.</summary>
    /// <param name="tokenAccess">The token source, for example a <see cref="GoogleCredential"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokenAccess"/> is null.</exception>
    public static CallCredentials FromTokenAccess(ITokenAccess tokenAccess)
    {
        ArgumentNullException.ThrowIfNull(tokenAccess);
        return TokenCallCredentials.Create(new AccessTokenSource(VaultCredentials.FromTokenAccess(tokenAccess)));
    }

    /// <summary>
    /// Call credentials for <paramref name="credentials"/>, resolved once on first use (Application
    /// Default Credentials may read files or ask the metadata server). <see cref="VaultCredentials.None"/>
    /// gives credentials that add no header.
    /// </summary>
    /// <param name="credentials">Where tokens come from.</param>
    /// <exception cref="ArgumentNullException"><paramref name="credentials"/> is null.</exception>
    public static CallCredentials FromCredentials(VaultCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return TokenCallCredentials.Create(new AccessTokenSource(credentials));
    }
}
