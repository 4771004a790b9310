namespace VaultGrpc.Testing;

/// <summary>Every request the fake received, in order of arrival. Thread-safe.</summary>
public sealed class CallJournal
{
    private readonly object _gate = new();
    private readonly List<JournalEntry> _entries = new();
    private long _nextSequence = 1;

    /// <summary>A snapshot of the entries, in order of arrival.</summary>
    public IReadOnlyList<JournalEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return _entries.ToArray();
            }
        }
    }

    /// <summary>How many requests match; null arguments match anything.</summary>
    /// <param name="transport">Only this transport.</param>
    /// <param name="method">Only this RPC.</param>
    public int Count(Transport? transport = null, OperationsMethod? method = null)
        => Where(transport, method).Count;

    /// <summary>The entries that match, in order; null arguments match anything.</summary>
    /// <param name="transport">Only this transport.</param>
    /// <param name="method">Only this RPC.</param>
    public IReadOnlyList<JournalEntry> Where(Transport? transport = null, OperationsMethod? method = null)
    {
        lock (_gate)
        {
            return _entries.Where(e => (transport is null || e.Transport == transport) && (method is null || e.Method == method)).ToArray();
        }
    }

    /// <summary>The latest entry, or null when there is none.</summary>
    public JournalEntry? Last
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count == 0 ? null : _entries[^1];
            }
        }
    }

    /// <summary>Forgets every entry.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    internal JournalEntry Add(Func<long, JournalEntry> create)
    {
        lock (_gate)
        {
            JournalEntry entry = create(_nextSequence++);
            _entries.Add(entry);
            return entry;
        }
    }
}
