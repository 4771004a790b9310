using Google.Apis.Auth.OAuth2;

namespace VaultGrpc.Internal.Auth;

/// <summary>
/// The client's one token source for both transports: resolves <see cref="VaultCredentials"/>
/// once, on first use (ADC may read files or the metadata server), then asks it for a token per call.
/// A failed resolution is not kept: the next call tries again, so a passing metadata-server hiccup
/// does not break the client for good. Every token is checked before it is used
/// (<see cref="AccessTokenRules"/>), and the last few are remembered so that a server echoing one
/// can be redacted exactly (<see cref="KnownTokens"/>).
/// </summary>
internal sealed class AccessTokenSource
{
    /// <summary>How many of the latest distinct tokens <see cref="KnownTokens"/> keeps (a refresh leaves the old one in flight).</summary>
    public const int RememberedTokens = 4;

    private readonly VaultCredentials _credentials;
    private readonly Lock _resolveGate = new();
    private readonly Lock _rememberGate = new();
    private Task<ITokenAccess?>? _resolved;
    private string[] _knownTokens = [];

    public AccessTokenSource(VaultCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
    }

    /// <summary>False for <see cref="VaultCredentials.None"/>: nothing is ever sent.</summary>
    public bool HasCredentials => !ReferenceEquals(_credentials, VaultCredentials.None);

    /// <summary>
    /// The latest distinct tokens this source handed out, newest first (at most
    /// <see cref="RememberedTokens"/>): what server text must never show. Empty before the first call.
    /// </summary>
    public IReadOnlyList<string> KnownTokens => Volatile.Read(ref _knownTokens);

    /// <summary>
    /// The headers that authorize a request to <paramref name="authority"/>: <c>Authorization</c>
    /// and, for <see cref="ITokenAccessWithHeaders"/>, its extra headers (such as a quota project).
    /// Empty without credentials.
    /// </summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> GetHeadersAsync(string authority, CancellationToken cancellationToken)
    {
        if (!HasCredentials)
        {
            return [];
        }

        ITokenAccess? access = await ResolveAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (access is null)
        {
            return [];
        }

        if (access is ITokenAccessWithHeaders withHeaders)
        {
            AccessTokenWithHeaders token = await withHeaders.GetAccessTokenWithHeadersForRequestAsync(authority, cancellationToken).ConfigureAwait(false);
            var headers = new List<KeyValuePair<string, string>>(1 + token.Headers.Count)
            {
                new("authorization", "Bearer " + Checked(token.AccessToken)),
            };
            foreach (KeyValuePair<string, IReadOnlyList<string>> header in token.Headers)
            {
                foreach (string value in header.Value)
                {
                    headers.Add(new(header.Key.ToLowerInvariant(), value));
                }
            }

            return headers;
        }

        string accessToken = await access.GetAccessTokenForRequestAsync(authority, cancellationToken).ConfigureAwait(false);
        return [new("authorization", "Bearer " + Checked(accessToken))];
    }

    // The same token comes back on most calls: it was checked when first seen.
    private string Checked(string? token)
    {
        string[] known = Volatile.Read(ref _knownTokens);
        if (token is not null && known.Length > 0 && string.Equals(known[0], token, StringComparison.Ordinal))
        {
            return token;
        }

        if (AccessTokenRules.Problem(token) is { } problem)
        {
            throw new InvalidAccessTokenException(problem);
        }

        Remember(token!);
        return token!;
    }

    private void Remember(string token)
    {
        lock (_rememberGate)
        {
            string[] known = _knownTokens;
            string[] updated = [token, .. known.Where(t => !string.Equals(t, token, StringComparison.Ordinal)).Take(RememberedTokens - 1)];
            Volatile.Write(ref _knownTokens, updated);
        }
    }

    private Task<ITokenAccess?> ResolveAsync()
    {
        Task<ITokenAccess?>? resolved = Volatile.Read(ref _resolved);
        if (resolved is { IsCompletedSuccessfully: true })
        {
            return resolved;
        }

        lock (_resolveGate)
        {
            if (_resolved is null || _resolved.IsFaulted || _resolved.IsCanceled)
            {
                _resolved = ResolveOnceAsync();
            }

            return _resolved;
        }
    }

    // Not bound to any caller's token: the result is shared by every later call.
    private async Task<ITokenAccess?> ResolveOnceAsync() =>
        await _credentials.Resolve(CancellationToken.None).ConfigureAwait(false);
}
