using Grpc.Core;

namespace VaultGrpc.Invokers.Rest;

/// <summary>
/// Runs the interceptors of a <see cref="CallCredentials"/> (what a gRPC channel does per call)
/// and collects the metadata they add, to go on a REST request as headers.
/// </summary>
internal sealed class CallCredentialsHeaders : CallCredentialsConfiguratorBase
{
    private readonly List<AsyncAuthInterceptor> _interceptors = [];

    /// <summary>The metadata <paramref name="credentials"/> add for <paramref name="context"/>.</summary>
    public static async Task<Metadata> GetAsync(CallCredentials credentials, AuthInterceptorContext context)
    {
        var collector = new CallCredentialsHeaders();
        credentials.InternalPopulateConfiguration(collector, null);
        var metadata = new Metadata();
        foreach (AsyncAuthInterceptor interceptor in collector._interceptors)
        {
            await interceptor(context, metadata).ConfigureAwait(false);
        }

        return metadata;
    }

    /// <inheritdoc />
    public override void SetAsyncAuthInterceptorCredentials(object? state, AsyncAuthInterceptor interceptor) =>
        _interceptors.Add(interceptor);

    /// <inheritdoc />
    public override void SetCompositeCredentials(object? state, IReadOnlyList<CallCredentials> credentials)
    {
        foreach (CallCredentials inner in credentials)
        {
            inner.InternalPopulateConfiguration(this, null);
        }
    }
}
