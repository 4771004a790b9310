using Google.Apis.Auth.OAuth2;

namespace VaultGrpc.Cli.Auth;

/// <summary>
/// Picks the credentials of a run: <c>--no-auth</c>; else <c>--access-token</c>; else the
/// environment variable <see cref="AccessTokenVariable"/>; else Application Default Credentials,
/// resolved up front so that a machine without them fails once, before anything is sent.
/// </summary>
internal static class CredentialChoice
{
    /// <summary>The environment variable read for an access token.</summary>
    public const string AccessTokenVariable = "VAULT_OPS_ACCESS_TOKEN";

    /// <summary>The credentials, and the token (if any) that output must never show.</summary>
    /// <exception cref="UsageException">
    /// Conflicting options, a token that cannot be sent (empty, control characters, spaces, quotes,
    /// backslashes, non-ASCII: checked here, before any I/O), or no credentials at all.
    /// </exception>
    public static async Task<(VaultCredentials Credentials, string? Secret)> ChooseAsync(
        bool noAuth, string? accessToken, Func<string, string?> getEnvironmentVariable, CancellationToken cancellationToken)
    {
        if (noAuth)
        {
            if (accessToken is not null)
            {
                throw new UsageException("--no-auth and --access-token contradict each other; give one.");
            }

            return (VaultCredentials.None, null);
        }

        string? token = accessToken;
        string source = "--access-token";
        if (token is null && getEnvironmentVariable(AccessTokenVariable) is { Length: > 0 } fromEnvironment)
        {
            token = fromEnvironment;
            source = AccessTokenVariable;
        }

        if (token is not null)
        {
            try
            {
                return (VaultCredentials.FromAccessToken(token), token);
            }
            catch (ArgumentException) when (VaultCredentials.FindAccessTokenProblem(token) is { } problem)
            {
                // Position and class of the problem, never the value; and where the token came from.
                throw new UsageException($"The access token from {source} cannot be sent: {problem}");
            }
        }

        try
        {
            GoogleCredential credential = await GoogleCredential.GetApplicationDefaultAsync(cancellationToken);
            return (VaultCredentials.FromGoogleCredential(credential), null);
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException(
                $"No credentials: Application Default Credentials are not available ({e.Message.Split('\n')[0].Trim()}). " +
                $"Pass --access-token, set {AccessTokenVariable}, or use --no-auth against a local fake.");
        }
    }
}
