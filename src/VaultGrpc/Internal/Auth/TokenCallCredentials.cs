using Grpc.Core;

namespace VaultGrpc.Internal.Auth;

/// <summary>
/// gRPC call credentials over an <see cref="AccessTokenSource"/>: what Grpc.Auth does for an
/// <c>ITokenAccess</c>, which is not available here. Each call asks the source for its headers,
/// with the call's service URL as the token's authority (the audience of self-signed JWTs).
/// </summary>
internal static class TokenCallCredentials
{
    public static CallCredentials Create(AccessTokenSource tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return CallCredentials.FromInterceptor(async (context, metadata) =>
        {
            IReadOnlyList<KeyValuePair<string, string>> headers;
            try
            {
                headers = await tokens.GetHeadersAsync(context.ServiceUrl, context.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw new TokenAcquisitionException(exception);
            }

            foreach (KeyValuePair<string, string> header in headers)
            {
                metadata.Add(header.Key, header.Value);
            }
        });
    }
}
