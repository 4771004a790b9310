using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.RestCalls;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>Builds REST transports over a given handler or server, as a client would.</summary>
internal static class RestTransports
{
    public const string ApiClient = "gl-dotnet/10.0 gccl/test";

    public static RestTransport Over(
        HttpMessageHandler handler,
        Uri? baseAddress = null,
        VaultCredentials? credentials = null,
        TimeProvider? timeProvider = null,
        Version? httpVersion = null,
        HttpVersionPolicy? versionPolicy = null) =>
        new(
            new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan },
            baseAddress ?? new Uri("http://127.0.0.1:1"),
            new AccessTokenSource(credentials ?? VaultCredentials.None),
            ApiClient,
            timeProvider ?? TimeProvider.System,
            httpVersion,
            versionPolicy);

    public static RestTransport ToServer(Uri baseAddress, VaultCredentials? credentials = null, Version? httpVersion = null, HttpVersionPolicy? versionPolicy = null, TimeProvider? timeProvider = null) =>
        Over(RestHttpClientFactory.CreateDefaultHandler(), baseAddress, credentials, timeProvider, httpVersion, versionPolicy);
}
