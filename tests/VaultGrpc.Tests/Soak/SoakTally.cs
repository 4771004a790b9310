using System.Collections.Concurrent;
using System.Text;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Soak;

/// <summary>
/// The soak's counts, kept as totals so that memory does not grow with the number of calls: outcomes
/// per RPC, how successes were served, and what the fake's journal saw.
/// </summary>
internal sealed class SoakTally
{
    private readonly ConcurrentDictionary<string, int> _outcomes = new();
    private readonly ConcurrentDictionary<string, int> _served = new();
    private readonly ConcurrentDictionary<string, int> _journal = new();

    public int Calls => _outcomes.Values.Sum();

    /// <summary>How many calls (of <paramref name="method"/>, or of any RPC) ended with <paramref name="result"/>.</summary>
    public int Count(string result, OperationsMethod? method = null) =>
        _outcomes.Where(o => o.Key.EndsWith(" " + result, StringComparison.Ordinal) && (method is null || o.Key.StartsWith(method + " ", StringComparison.Ordinal))).Sum(o => o.Value);

    public IEnumerable<string> Results => _outcomes.Keys.Select(k => k[(k.IndexOf(' ', StringComparison.Ordinal) + 1)..]).Distinct();

    public void Record(OperationsMethod method, SoakOutcome outcome)
    {
        _outcomes.AddOrUpdate($"{method} {outcome.Result}", 1, (_, n) => n + 1);
        if (outcome.Call is { } call)
        {
            _served.AddOrUpdate($"{call.Transport}/{call.Fallback}", 1, (_, n) => n + 1);
        }
    }

    public void RecordJournal(IEnumerable<JournalEntry> entries)
    {
        foreach (JournalEntry entry in entries)
        {
            _journal.AddOrUpdate($"{entry.Transport} requests", 1, (_, n) => n + 1);
            if (entry.Fault is { } fault)
            {
                _journal.AddOrUpdate($"fault {fault}", 1, (_, n) => n + 1);
            }
        }
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine("outcomes: " + Join(_outcomes));
        text.AppendLine("successes served by: " + Join(_served));
        text.Append("fake's journal: " + Join(_journal));
        return text.ToString();
    }

    private static string Join(ConcurrentDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
}
