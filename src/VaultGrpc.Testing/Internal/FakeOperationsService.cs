using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Testing.Internal;

/// <summary>
/// The five RPCs over the fake's store; the same instance serves gRPC and the transcoded REST routes. Its base is the
/// server base generated in this project only (see VaultGrpc.Testing.csproj).
/// </summary>
internal sealed class FakeOperationsService(FakeServerState state) : LongRunningServer.Operations.OperationsBase
{
    public override Task<ListOperationsResponse> ListOperations(ListOperationsRequest request, ServerCallContext context)
        => Serve(context, request.Name, () =>
        {
            if (request.Name is not ("operations" or ""))
            {
                throw FakeErrors.Create(StatusCode.NotFound, $"Collection '{request.Name}' not found; use 'operations'.");
            }

            if (request.PageSize < 0)
            {
                throw FakeErrors.Create(StatusCode.InvalidArgument, $"page_size must not be negative (was {request.PageSize}).");
            }

            int pageSize = request.PageSize == 0 ? state.Options.DefaultPageSize : Math.Min(request.PageSize, state.Options.MaxPageSize);
            return Task.FromResult(state.Store.List(request.Filter, pageSize, request.PageToken));
        });

    public override Task<Operation> GetOperation(GetOperationRequest request, ServerCallContext context)
        => Serve(context, request.Name, () => Task.FromResult(state.Store.Get(request.Name)));

    public override Task<Empty> DeleteOperation(DeleteOperationRequest request, ServerCallContext context)
        => Serve(context, request.Name, () =>
        {
            state.Store.Delete(request.Name);
            return Task.FromResult(new Empty());
        });

    public override Task<Empty> CancelOperation(CancelOperationRequest request, ServerCallContext context)
        => Serve(context, request.Name, () =>
        {
            state.Store.Cancel(request.Name);
            return Task.FromResult(new Empty());
        });

    public override Task<Operation> WaitOperation(WaitOperationRequest request, ServerCallContext context)
        => Serve(context, request.Name, async () =>
        {
            TimeSpan timeout = request.Timeout is null ? state.Options.DefaultWaitTimeout : request.Timeout.ToTimeSpan();
            if (timeout < TimeSpan.Zero)
            {
                throw FakeErrors.Create(StatusCode.InvalidArgument, $"timeout must not be negative (was {timeout}).");
            }

            timeout = timeout > state.Options.MaxWaitTimeout ? state.Options.MaxWaitTimeout : timeout;
            using var held = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, state.Stopping);
            try
            {
                return await state.Store.WaitAsync(request.Name, timeout, held.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (state.Stopping.IsCancellationRequested)
            {
                throw FakeErrors.Create(StatusCode.Unavailable, "The fake server is stopping.");
            }
            catch (OperationCanceledException) when (context.Deadline != DateTime.MaxValue && !context.GetHttpContext().RequestAborted.IsCancellationRequested)
            {
                // The server's own deadline timer can fire a hair before the clock reaches the deadline.
                throw FakeErrors.Create(StatusCode.DeadlineExceeded, "The call's deadline passed before the operation was done.");
            }
            catch (OperationCanceledException)
            {
                throw FakeErrors.Create(StatusCode.Cancelled, "The call ended before the operation was done.");
            }
        });

    // Leaves the received name and any error where the fake's front door reads them (journal, REST error shape).
    private static async Task<T> Serve<T>(ServerCallContext context, string name, Func<Task<T>> body)
    {
        var items = context.GetHttpContext().Items;
        items[FakeCall.NameKey] = name;
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            items[FakeCall.ErrorKey] = FakeErrors.ToStatus(e);
            throw;
        }
    }
}
