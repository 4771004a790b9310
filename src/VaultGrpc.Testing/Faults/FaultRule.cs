namespace VaultGrpc.Testing;

/// <summary>A fault with the calls it applies to; returned by <see cref="FaultScript.Add"/>.</summary>
public sealed class FaultRule
{
    private readonly object _gate = new();
    private int _hits;
    private int? _remaining;

    internal FaultRule(Fault fault, OperationsMethod? method, Transport? transport, int? times, double probability)
    {
        Fault = fault;
        Method = method;
        Transport = transport;
        _remaining = times;
        Probability = probability;
    }

    /// <summary>The fault.</summary>
    public Fault Fault { get; }

    /// <summary>Only calls of this RPC; null for any.</summary>
    public OperationsMethod? Method { get; }

    /// <summary>Only calls over this transport; null for any.</summary>
    public Transport? Transport { get; }

    /// <summary>The fraction of matching calls hit, decided by the fake's seeded random numbers; 1 for every one.</summary>
    public double Probability { get; }

    /// <summary>How many calls the fault was applied to.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>How many more calls it will be applied to; null for no limit.</summary>
    public int? Remaining
    {
        get
        {
            lock (_gate)
            {
                return _remaining;
            }
        }
    }

    /// <summary>Whether the rule picks this call; consumes one of its <see cref="Remaining"/> when it does. Called under the script's lock.</summary>
    internal bool TryTake(OperationsMethod? method, VaultGrpc.Transport transport, Random random)
    {
        if ((Method is not null && Method != method) || (Transport is not null && Transport != transport) || !Fault.AppliesTo(transport))
        {
            return false;
        }

        lock (_gate)
        {
            if (_remaining == 0 || (Probability < 1.0 && random.NextDouble() >= Probability))
            {
                return false;
            }

            if (_remaining is int left)
            {
                _remaining = left - 1;
            }
        }

        Interlocked.Increment(ref _hits);
        return true;
    }

    /// <inheritdoc />
    public override string ToString()
        => $"{Fault} on {Method?.ToString() ?? "any method"} over {Transport?.ToString() ?? "any transport"}, remaining {Remaining?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited"}, p={Probability}";
}
