using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.LongRunning;
// The server base generated in VaultGrpc.Testing, the only project that generates one.
using OperationsServer = VaultGrpc.Testing.Internal.LongRunningServer.Operations;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>
/// A small real gRPC Operations service. GetOperation of <c>operations/fail/&lt;StatusCode&gt;</c>
/// answers with that status as a genuine grpc-status; <c>operations/hang</c> never answers (until the
/// call is cancelled); <c>operations/abort-before-headers</c> and <c>operations/abort-after-headers</c>
/// reset the HTTP/2 stream; other names come back done. DeleteOperation
/// and WaitOperation are left unimplemented. Every call's request headers are recorded.
/// </summary>
internal sealed class ScriptedOperationsService(RequestJournal journal) : OperationsServer.OperationsBase
{
    public const string FailPrefix = "operations/fail/";

    public const string Hang = "operations/hang";
    public const string AbortBeforeHeaders = "operations/abort-before-headers";
    public const string AbortAfterHeaders = "operations/abort-after-headers";

    public override async Task<Operation> GetOperation(GetOperationRequest request, ServerCallContext context)
    {
        journal.Record(context);
        if (request.Name.StartsWith(FailPrefix, StringComparison.Ordinal))
        {
            var code = System.Enum.Parse<StatusCode>(request.Name[FailPrefix.Length..]);
            throw new RpcException(new Status(code, $"scripted {code}"));
        }

        switch (request.Name)
        {
            case Hang:
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                break;
            case AbortBeforeHeaders:
                context.GetHttpContext().Abort();
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                break;
            case AbortAfterHeaders:
                await context.WriteResponseHeadersAsync([]);
                context.GetHttpContext().Abort();
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                break;
        }

        return new Operation { Name = request.Name, Done = true };
    }

    public override Task<Empty> CancelOperation(CancelOperationRequest request, ServerCallContext context)
    {
        journal.Record(context);
        return Task.FromResult(new Empty());
    }

    public override Task<ListOperationsResponse> ListOperations(ListOperationsRequest request, ServerCallContext context)
    {
        journal.Record(context);
        return Task.FromResult(new ListOperationsResponse { Operations = { new Operation { Name = "operations/listed" } } });
    }
}
