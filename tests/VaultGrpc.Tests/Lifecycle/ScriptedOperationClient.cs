using Grpc.Core;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Lifecycle;

/// <summary>A stand-in client whose Get answers from a script and records, on the test's clock, when each poll came.</summary>
internal sealed class ScriptedOperationClient(TimeProvider time, Func<int, Operation> answer) : VaultOperationsClient
{
    public static readonly VaultCallInfo Grpc = new(Transport.Grpc, FallbackReason.None, null, 1);

    public List<DateTimeOffset> Polls { get; } = [];

    public List<string> Calls { get; } = [];

    public override TimeProvider TimeProvider => time;

    public override Task<VaultResponse<Operation>> GetAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Polls.Add(time.GetUtcNow());
        Operation operation = answer(Polls.Count);
        return operation.Name == name
            ? Task.FromResult(new VaultResponse<Operation>(operation, Grpc))
            : Task.FromException<VaultResponse<Operation>>(new RpcException(new Status(StatusCode.NotFound, name)));
    }

    public override Task<VaultCallInfo> DeleteAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Calls.Add($"delete {name}");
        return Task.FromResult(Grpc);
    }

    public override Task<VaultCancelResult> CancelAndConfirmAsync(string name, TimeSpan? confirmTimeout = null, CancellationToken cancellationToken = default)
    {
        Calls.Add($"cancel-and-confirm {name} {confirmTimeout}");
        return Task.FromResult(new VaultCancelResult(name, VaultCancelOutcome.Cancelled, null, null, Grpc));
    }
}
