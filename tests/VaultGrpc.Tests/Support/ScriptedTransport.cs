using System.Collections.Concurrent;
using VaultGrpc.Internal;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Support;

/// <summary>
/// A transport whose every call runs a behaviour the test sets, counting calls per method.
/// Stands in for the wire in tests of the fallback policy, retries and waiting.
/// </summary>
internal sealed class ScriptedTransport(Transport kind) : IOperationsTransport, IWaitOperationTransport
{
    private readonly ConcurrentDictionary<RpcMethod, int> _calls = new();

    public Transport Kind { get; } = kind;

    /// <summary>Runs for every call: method, operation name (or "operations" for List).</summary>
    public Func<RpcMethod, string, CallScope, Task<Operation>> Behaviour { get; set; } =
        (_, name, _) => Task.FromResult(new Operation { Name = name, Done = true });

    public List<CallScope> Scopes { get; } = [];

    public int Calls(RpcMethod method) => _calls.GetValueOrDefault(method);

    public int TotalCalls => _calls.Values.Sum();

    public async Task CancelAsync(string name, CallScope scope) => await RunAsync(RpcMethod.Cancel, name, scope);

    public Task<Operation> GetAsync(string name, CallScope scope) => RunAsync(RpcMethod.Get, name, scope);

    public async Task DeleteAsync(string name, CallScope scope) => await RunAsync(RpcMethod.Delete, name, scope);

    public async Task<ListOperationsResponse> ListAsync(ListOperationsRequest request, CallScope scope)
    {
        Operation operation = await RunAsync(RpcMethod.List, request.Name, scope);
        return new ListOperationsResponse { Operations = { operation } };
    }

    public Task<Operation> WaitAsync(string name, TimeSpan waitTimeout, CallScope scope) => RunAsync(RpcMethod.Wait, name, scope);

    private Task<Operation> RunAsync(RpcMethod method, string name, CallScope scope)
    {
        _calls.AddOrUpdate(method, 1, (_, n) => n + 1);
        lock (Scopes)
        {
            Scopes.Add(scope);
        }

        return Behaviour(method, name, scope);
    }
}
