namespace VaultGrpc.Cli.Output;

/// <summary>
/// "via grpc" or "via rest (fallback: reason)": how a call was served, as result lines say it. Each
/// text is made once and kept, as a bulk run prints one for every name and has only a few to choose from.
/// </summary>
internal static class ServedByText
{
    private static readonly int TransportCount = Enum.GetValues<Transport>().Length;
    private static readonly int ReasonCount = Enum.GetValues<FallbackReason>().Length;

    // Indexed by transport × reason; filled as each pair is first seen (a race only makes a duplicate).
    private static readonly string?[] Known = new string?[TransportCount * ReasonCount];

    /// <summary>The text for <paramref name="call"/>.</summary>
    public static string Of(VaultCallInfo call)
    {
        int transport = (int)call.Transport;
        int reason = (int)call.Fallback;
        if ((uint)transport >= (uint)TransportCount || (uint)reason >= (uint)ReasonCount)
        {
            return Build(call.Transport, call.Fallback);
        }

        int slot = (transport * ReasonCount) + reason;
        return Volatile.Read(ref Known[slot]) ?? (Known[slot] = Build(call.Transport, call.Fallback));
    }

    private static string Build(Transport transport, FallbackReason reason)
    {
        string? fallback = FallbackNames.Of(reason);
        return fallback is null ? $"via {FallbackNames.Of(transport)}" : $"via {FallbackNames.Of(transport)} (fallback: {fallback})";
    }
}
