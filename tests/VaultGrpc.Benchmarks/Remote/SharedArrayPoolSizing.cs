using System.Buffers;

namespace VaultGrpc.Benchmarks.Remote;

/// <summary>
/// Sizes <see cref="ArrayPool{T}.Shared"/> for every call of an invocation in flight at once.
/// SocketsHttpHandler rents two arrays per HTTP/2 request from it (32 KB to encode the headers, held
/// until the connection's writer has sent them; 16 KB for the response's DATA, held until the call
/// has read it), and the pool keeps only 32 arrays of a size per core (runtime default): on two cores,
/// beyond about 64 calls in flight most of those rents allocate a new array and drop it on return.
/// That is 20-30 KB per call at 256 callers, the same in every case, in a share that follows the
/// thread scheduling rather than the code measured (Alloc Ratio 0.95-2.05 in one run). The raw-call
/// classes compare the client with the raw call, so they run with a pool that keeps enough arrays;
/// the benchmarks README shows the default pool's numbers.
/// </summary>
internal static class SharedArrayPoolSizing
{
    /// <summary>The runtime's setting: arrays of one size kept per partition (one partition per core). Read once, when the pool is first used.</summary>
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>Arrays kept per size and partition: at least the most calls a class keeps in flight (256) on one core.</summary>
    public const int ArraysPerPartition = 256;

    // The size SocketsHttpHandler rents to encode a request's headers: the one the check rents.
    private const int HeaderBufferSize = 32 * 1024;

    // Arrays another thread may hold during the check without it meaning the pool is too small.
    private const int Slack = 4;

    /// <summary>Whether <see cref="Apply"/> set <see cref="Variable"/> (false when the caller set it: their choice is kept and not checked).</summary>
    public static bool Applied { get; private set; }

    /// <summary>Sets <see cref="Variable"/> unless it is set already; call first thing, before anything rents from the pool.</summary>
    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, ArraysPerPartition.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Applied = true;
        }
    }

    /// <summary>
    /// Throws unless the pool kept <paramref name="inFlight"/> arrays that were all rented at once:
    /// rents them, returns them, rents as many again and counts the same arrays coming back. Skipped
    /// when <see cref="Apply"/> did not set the variable (the caller chose the pool's size).
    /// </summary>
    public static void EnsureKeeps(int inFlight)
    {
        if (!Applied)
        {
            return;
        }

        // Other threads share the pool (a connection's reads and writes of an earlier case's client
        // may take an array between the return and the second rent): a few missing arrays on one try
        // are theirs. A pool read too late keeps about 32 per core, far fewer than 256.
        int reused = 0;
        for (int attempt = 0; attempt < 3 && reused < inFlight - Slack; attempt++)
        {
            reused = CountKept(inFlight);
        }

        if (reused < inFlight - Slack)
        {
            throw new InvalidOperationException(
                $"ArrayPool.Shared kept {reused} of {inFlight} arrays of {HeaderBufferSize} bytes: {Variable} was read before the benchmark set it, " +
                "so calls beyond what the pool keeps would measure its misses. Set the variable before starting the process.");
        }
    }

    // Rents inFlight arrays, returns them, rents as many again: how many came back.
    private static int CountKept(int inFlight)
    {
        var first = new byte[inFlight][];
        for (int i = 0; i < first.Length; i++)
        {
            first[i] = ArrayPool<byte>.Shared.Rent(HeaderBufferSize);
        }

        foreach (byte[] array in first)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        var kept = new HashSet<byte[]>(first, ReferenceEqualityComparer.Instance);
        var second = new byte[inFlight][];
        int reused = 0;
        for (int i = 0; i < second.Length; i++)
        {
            second[i] = ArrayPool<byte>.Shared.Rent(HeaderBufferSize);
            reused += kept.Contains(second[i]) ? 1 : 0;
        }

        foreach (byte[] array in second)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        return reused;
    }
}
