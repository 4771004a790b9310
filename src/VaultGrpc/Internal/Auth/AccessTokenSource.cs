using Google.Apis.Auth.OAuth2;

namespace VaultGrpc.Internal.Auth;

/// <summary>
/// The client's one token source for both transports: resolves <see cref="VaultCredentials"/>
/// once, on first use (ADC may read files or the metadata server), then asks it for a token per call.
/// A failed resolution is not kept: the next call tries again, so a passing metadata-server hiccup
/// does not break the client for good.
/// </summary>
internal sealed class AccessTokenSource
{
    private readonly VaultCredentials _credentials;
    private readonly Lock _resolveGate = new();
    private Task<ITokenAccess?>? _resolved;

    public AccessTokenSource(VaultCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
    }

    /// <summary>False for <see cref="VaultCredentials.None"/>: nothing is ever sent.</summary>
    public bool HasCredentials => !ReferenceEquals(_credentials, VaultCredentials.None);

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
                new("authorization", "Bearer " + token.AccessToken),
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
        return [new("authorization", "Bearer " + accessToken)];
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
