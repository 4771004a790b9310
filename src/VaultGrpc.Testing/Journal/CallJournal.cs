namespace VaultGrpc.Testing;

/// <summary>
/// The requests the fake received, in order of arrival: all of them, up to a capacity past which
/// the oldest are forgotten. Thread-safe.
/// </summary>
public sealed class CallJournal
{
    private readonly object _gate = new();
    private readonly Queue<JournalEntry> _entries = new();
    private readonly int _capacity;
    private JournalEntry? _last;
    private long _nextSequence = 1;
    private long _dropped;

    internal CallJournal(int capacity) => _capacity = capacity;

    /// <summary>How many of the oldest entries were forgotten to stay within capacity.</summary>
    public long Dropped
    {
        get
        {
            lock (_gate)
            {
                return _dropped;
            }
        }
    }

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
                return _last;
            }
        }
    }

    /// <summary>Forgets every entry.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _last = null;
        }
    }

    internal JournalEntry Add(Func<long, JournalEntry> create)
    {
        lock (_gate)
        {
            JournalEntry entry = create(_nextSequence++);
            if (_entries.Count == _capacity)
            {
                _entries.Dequeue();
                _dropped++;
            }

            _entries.Enqueue(entry);
            _last = entry;
            return entry;
        }
    }
}
