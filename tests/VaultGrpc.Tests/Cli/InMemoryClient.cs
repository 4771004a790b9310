using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Grpc.Core;
using VaultGrpc.Cli.Clients;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Cli;

/// <summary>An in-memory stand-in for <see cref="VaultOperationsClient"/>: counts calls per name and answers as told.</summary>
internal sealed class InMemoryClient : VaultOperationsClient
{
    public static readonly VaultCallInfo ServedByGrpc = new(Transport.Grpc, FallbackReason.None, null, 1);

    private int _inFlight;
    private int _maxInFlight;

    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, Operation> Operations { get; } = new(StringComparer.Ordinal);

    /// <summary>What cancel and delete do for a name; default: served by gRPC.</summary>
    public Func<string, Task<VaultCallInfo>> OnCall { get; set; } = _ => Task.FromResult(ServedByGrpc);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int TotalCalls => Calls.Values.Sum();

    public bool Disposed { get; private set; }

    public override Task<VaultCallInfo> CancelAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) => CountAsync(name);

    public override Task<VaultCallInfo> DeleteAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) => CountAsync(name);

    public override Task<VaultResponse<Operation>> GetAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Calls.AddOrUpdate(name, 1, (_, n) => n + 1);
        return Operations.TryGetValue(name, out Operation? operation)
            ? Task.FromResult(new VaultResponse<Operation>(operation, ServedByGrpc))
            : Task.FromException<VaultResponse<Operation>>(new RpcException(new Status(StatusCode.NotFound, $"Operation {name} not found.")));
    }

    public override async IAsyncEnumerable<Operation> ListAsync(string? filter = null, int pageSize = 0, TimeSpan? timeout = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls.AddOrUpdate("operations", 1, (_, n) => n + 1);
        foreach (Operation operation in Operations.Values.OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            await Task.Yield();
            yield return operation;
        }
    }

    public override Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan? waitTimeout = null, CancellationToken cancellationToken = default) =>
        GetAsync(name, waitTimeout, cancellationToken);

    protected override void Dispose(bool disposing) => Disposed = true;

    private async Task<VaultCallInfo> CountAsync(string name)
    {
        Calls.AddOrUpdate(name, 1, (_, n) => n + 1);
        int now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        try
        {
            return await OnCall(name);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
