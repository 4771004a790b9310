using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Grpc.Core;
using VaultGrpc.Cli.Gateway;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Cli;

/// <summary>An in-memory <see cref="IOperationsGateway"/>: counts calls per name and answers as told.</summary>
internal sealed class InMemoryGateway : IOperationsGateway
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

    public Task<VaultCallInfo> CancelAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken) => CountAsync(name);

    public Task<VaultCallInfo> DeleteAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken) => CountAsync(name);

    public Task<VaultResponse<Operation>> GetAsync(string name, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        Calls.AddOrUpdate(name, 1, (_, n) => n + 1);
        return Operations.TryGetValue(name, out Operation? operation)
            ? Task.FromResult(new VaultResponse<Operation>(operation, ServedByGrpc))
            : Task.FromException<VaultResponse<Operation>>(new RpcException(new Status(StatusCode.NotFound, $"Operation {name} not found.")));
    }

    public async IAsyncEnumerable<Operation> ListAsync(string? filter, int pageSize, TimeSpan? timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Calls.AddOrUpdate("operations", 1, (_, n) => n + 1);
        foreach (Operation operation in Operations.Values.OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            await Task.Yield();
            yield return operation;
        }
    }

    public Task<VaultResponse<Operation>> WaitAsync(string name, TimeSpan? waitTimeout, CancellationToken cancellationToken) =>
        GetAsync(name, waitTimeout, cancellationToken);

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

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
