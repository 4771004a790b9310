namespace VaultGrpc.Internal;

/// <summary>A caller's HTTP handler and the handlers it delegates to, outermost first.</summary>
internal static class HandlerChain
{
    // Deeper chains are not real ones (or loop): what lies past this is not looked at.
    private const int MaxDepth = 32;

    /// <summary><paramref name="handler"/>, then each <see cref="DelegatingHandler.InnerHandler"/> in turn; at most 32.</summary>
    public static IEnumerable<HttpMessageHandler> Of(HttpMessageHandler? handler)
    {
        for (int depth = 0; handler is not null && depth < MaxDepth; depth++)
        {
            yield return handler;
            handler = (handler as DelegatingHandler)?.InnerHandler;
        }
    }
}
