namespace VaultGrpc.Testing;

/// <summary>
/// The faults the fake applies, checked in the order they were added; the first rule that picks a call
/// applies (one fault per call). Thread-safe; change it while calls run.
/// </summary>
public sealed class FaultScript
{
    private readonly object _gate = new();
    private readonly List<FaultRule> _rules = new();
    private readonly Random _random;

    internal FaultScript(int seed) => _random = new Random(seed);

    /// <summary>The rules, in order.</summary>
    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return _rules.ToArray();
            }
        }
    }

    /// <summary>Adds a rule.</summary>
    /// <param name="fault">What goes wrong.</param>
    /// <param name="method">Only calls of this RPC; null for any.</param>
    /// <param name="transport">Only calls over this transport; null for any (REST body faults pick REST calls only).</param>
    /// <param name="times">For the next this-many matching calls; null for every one.</param>
    /// <param name="probability">The fraction of matching calls, from the seeded random numbers (<see cref="FakeServerOptions.RandomSeed"/>). Default 1: all.</param>
    /// <returns>The rule, to read its hits or remove it.</returns>
    public FaultRule Add(Fault fault, OperationsMethod? method = null, Transport? transport = null, int? times = null, double probability = 1.0)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (times is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(times), times, "times must not be negative.");
        }

        if (!(probability is > 0.0 and <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "probability must be in (0, 1].");
        }

        var rule = new FaultRule(fault, method, transport, times, probability);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    /// <summary>Removes a rule; false when it was not there.</summary>
    /// <param name="rule">The rule.</param>
    public bool Remove(FaultRule rule)
    {
        lock (_gate)
        {
            return _rules.Remove(rule);
        }
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>The fault for this call, or null.</summary>
    internal Fault? Take(OperationsMethod? method, Transport transport)
    {
        lock (_gate)
        {
            foreach (FaultRule rule in _rules)
            {
                if (rule.TryTake(method, transport, _random))
                {
                    return rule.Fault;
                }
            }
        }

        return null;
    }
}
