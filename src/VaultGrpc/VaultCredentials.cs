using Google.Apis.Auth.OAuth2;
using VaultGrpc.Internal.Auth;

namespace VaultGrpc;

/// <summary>
/// Where a client's access tokens come from. The same credential authorizes both transports:
/// gRPC call credentials and the REST <c>Authorization: Bearer</c> header.
/// </summary>
public sealed class VaultCredentials
{
    /// <summary>The OAuth scope of the Vault API.</summary>
    public const string EdiscoveryScope = "https://www.googleapis.com/auth/ediscovery";

    private VaultCredentials(string description, Func<CancellationToken, Task<ITokenAccess?>> resolve)
    {
        Description = description;
        Resolve = resolve;
    }

    /// <summary>No credentials: for fakes and local servers.</summary>
    public static VaultCredentials None { get; } = new("none", _ => Task.FromResult<ITokenAccess?>(null));

    /// <summary>A short, secret-free description for logs and the CLI: "none", "access-token", "adc", "google-credential", "token-access".</summary>
    public string Description { get; }

    /// <summary>Resolves the token source once, lazily, on the first call that needs it.</summary>
    internal Func<CancellationToken, Task<ITokenAccess?>> Resolve { get; }

    /// <summary>Application Default Credentials, scoped to <see cref="EdiscoveryScope"/>. Resolved on first use.</summary>
    public static VaultCredentials ApplicationDefault() => new(
        "adc",
        async cancellationToken =>
        {
            GoogleCredential credential = await GoogleCredential.GetApplicationDefaultAsync(cancellationToken).ConfigureAwait(false);
            return credential.CreateScoped(EdiscoveryScope);
        });

    /// <summary>A Google credential; scoped to <see cref="EdiscoveryScope"/> when it needs scopes.</summary>
    /// <param name="credential">The credential.</param>
    public static VaultCredentials FromGoogleCredential(GoogleCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        GoogleCredential scoped = credential.IsCreateScopedRequired ? credential.CreateScoped(EdiscoveryScope) : credential;
        return new("google-credential", _ => Task.FromResult<ITokenAccess?>(scoped));
    }

    /// <summary>A fixed access token, sent as it is.</summary>
    /// <param name="accessToken">The OAuth access token: printable ASCII without spaces, quotes or backslashes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="accessToken"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The token is empty, or has a character that cannot go into an <c>Authorization</c> header as it
    /// is (control, space, quote, backslash, non-ASCII). The message gives its position and class,
    /// never the token. Checked here, before any I/O.
    /// </exception>
    public static VaultCredentials FromAccessToken(string accessToken)
    {
        AccessTokenRules.ThrowIfInvalid(accessToken, nameof(accessToken));
        GoogleCredential credential = GoogleCredential.FromAccessToken(accessToken);
        return new("access-token", _ => Task.FromResult<ITokenAccess?>(credential));
    }

    /// <summary>
    /// Why <paramref name="accessToken"/> cannot be sent as it is (what and where, never the token,
    /// then the rule), or null when <see cref="FromAccessToken"/> accepts it.
    /// </summary>
    /// <param name="accessToken">The token to check.</param>
    public static string? FindAccessTokenProblem(string? accessToken) =>
        AccessTokenRules.Problem(accessToken) is { } problem ? $"{problem}. {AccessTokenRules.Rule}" : null;

    /// <summary>Any token source, such as a custom <see cref="ITokenAccess"/> or <see cref="ITokenAccessWithHeaders"/>.</summary>
    /// <remarks>
    /// Each token it returns is checked like <see cref="FromAccessToken"/>'s before it is sent; a call
    /// given a token that cannot be sent fails with <c>Unauthenticated</c>, and nothing goes out.
    /// </remarks>
    /// <param name="tokenAccess">The token source.</param>
    public static VaultCredentials FromTokenAccess(ITokenAccess tokenAccess)
    {
        ArgumentNullException.ThrowIfNull(tokenAccess);
        return new("token-access", _ => Task.FromResult<ITokenAccess?>(tokenAccess));
    }

    /// <inheritdoc />
    public override string ToString() => Description;
}
