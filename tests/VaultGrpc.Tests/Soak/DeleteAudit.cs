using Grpc.Core;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Soak;

/// <summary>
/// Reads the fake's journal for the safety principle's promise about Delete: per operation name,
/// across both transports, the fake acts on a Delete at most once, and a Delete is never sent
/// again after an attempt that may have been acted on.
/// </summary>
internal static class DeleteAudit
{
    /// <summary>Every breach in <paramref name="entries"/>; empty when the promise held.</summary>
    public static IReadOnlyList<DeleteBreach> Breaches(IEnumerable<JournalEntry> entries)
    {
        var breaches = new List<DeleteBreach>();
        foreach (IGrouping<string?, JournalEntry> name in entries
            .Where(e => e.Method == OperationsMethod.Delete)
            .OrderBy(e => e.Sequence)
            .GroupBy(e => e.OperationName))
        {
            JournalEntry[] deletes = name.ToArray();
            if (deletes.Count(Acted) > 1)
            {
                breaches.Add(new DeleteBreach(name.Key, $"acted on {deletes.Count(Acted)} times", Describe(deletes)));
            }

            int ambiguous = Array.FindIndex(deletes, MayHaveActed);
            if (ambiguous >= 0 && ambiguous < deletes.Length - 1)
            {
                breaches.Add(new DeleteBreach(name.Key, $"sent again after an attempt that may have acted ({Kind(deletes[ambiguous])})", Describe(deletes)));
            }
        }

        return breaches;
    }

    /// <summary>The fake's service ran the Delete: no fault (or only latency) and an answer from the handler itself.</summary>
    public static bool Acted(JournalEntry entry) =>
        entry.Fault is null or FaultKind.Latency && entry.Status is StatusCode.OK or StatusCode.NotFound;

    /// <summary>
    /// The request reached something that could act on it and the client got no proof it did not: the
    /// answer was started and then reset or cut (the service may have run first), or an HTTP gateway
    /// answered 502/503 in front of gRPC (Envoy sends that after its upstream reset, maybe mid-call).
    /// Acted entries are not counted here: their answer reached the client, which had no reason to resend.
    /// </summary>
    public static bool MayHaveActed(JournalEntry entry) =>
        entry.Fault is FaultKind.ResetStream or FaultKind.AbortConnection
        || (entry.Transport == Transport.Grpc && entry.Fault is null && entry.Status is null && entry.HttpStatus is 502 or 503);

    private static string Kind(JournalEntry entry) => entry.Fault?.ToString() ?? $"HTTP {entry.HttpStatus} from a gateway";

    private static string Describe(IEnumerable<JournalEntry> deletes) => string.Join(" | ", deletes.Select(e => e.ToString()));
}
