using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.LongRunning;
using VaultGrpc.Vault.Count.V1;
using VaultGrpc.Testing.Internal;

namespace VaultGrpc.Testing;

/// <summary>
/// The fake's operations, in insertion order. Thread-safe; tests seed and change it while calls run.
/// Everything handed out is a copy, so a test cannot change stored state by accident.
/// </summary>
public sealed class FakeOperationStore
{
    /// <summary>The error a cancelled operation ends with: code 1, <c>CANCELLED</c>.</summary>
    public static readonly int CancelledCode = (int)StatusCode.Cancelled;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly List<StoredOperation> _ordered = new();
    private readonly Dictionary<string, StoredOperation> _byName = new(StringComparer.Ordinal);
    private long _nextSequence = 1;
    private int _removedInOrdered;

    /// <summary>An empty store on the system clock.</summary>
    public FakeOperationStore()
        : this(TimeProvider.System)
    {
    }

    /// <summary>An empty store whose timed changes (delayed cancels, progress) and waits run on <paramref name="time"/>.</summary>
    internal FakeOperationStore(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>How many operations the store holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byName.Count;
            }
        }
    }

    /// <summary>Adds an operation as given (any state). Throws when the name is taken.</summary>
    /// <param name="operation">The operation; copied.</param>
    /// <exception cref="ArgumentException">The name is empty or already in the store.</exception>
    public void Add(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentException.ThrowIfNullOrEmpty(operation.Name, nameof(operation));
        lock (_gate)
        {
            if (_byName.ContainsKey(operation.Name))
            {
                throw new ArgumentException($"The store already holds an operation named '{operation.Name}'.", nameof(operation));
            }

            var stored = new StoredOperation(_nextSequence++, operation.Clone());
            _ordered.Add(stored);
            _byName.Add(operation.Name, stored);
        }
    }

    /// <summary>Adds a running operation (<c>done=false</c>).</summary>
    /// <param name="name">The name, e.g. <c>operations/export-1</c>.</param>
    /// <param name="metadata">Progress information, packed as <c>Any</c>; null for none.</param>
    /// <returns>A copy of what was stored.</returns>
    public Operation AddRunning(string name, IMessage? metadata = null)
    {
        var operation = new Operation { Name = name, Metadata = Pack(metadata) };
        Add(operation);
        return operation;
    }

    /// <summary>Adds <paramref name="count"/> running operations named <paramref name="prefix"/> + a 5-digit index.</summary>
    /// <param name="count">How many.</param>
    /// <param name="prefix">The start of every name. Default <c>operations/op-</c>.</param>
    /// <returns>The names, in order.</returns>
    public IReadOnlyList<string> AddRunning(int count, string prefix = "operations/op-")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = prefix + i.ToString("D5", CultureInfo.InvariantCulture);
            Add(new Operation { Name = names[i] });
        }

        return names;
    }

    /// <summary>Adds a finished operation with a response.</summary>
    /// <param name="name">The name.</param>
    /// <param name="response">The response, packed as <c>Any</c>; null for <c>google.protobuf.Empty</c>.</param>
    /// <param name="metadata">Progress information; null for none.</param>
    /// <returns>A copy of what was stored.</returns>
    public Operation AddDone(string name, IMessage? response = null, IMessage? metadata = null)
    {
        var operation = new Operation { Name = name, Done = true, Metadata = Pack(metadata), Response = Any.Pack(response ?? new Empty()) };
        Add(operation);
        return operation;
    }

    /// <summary>Adds a finished operation that failed.</summary>
    /// <param name="name">The name.</param>
    /// <param name="error">The error it ended with.</param>
    /// <param name="metadata">Progress information; null for none.</param>
    /// <returns>A copy of what was stored.</returns>
    public Operation AddFailed(string name, Google.Rpc.Status error, IMessage? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var operation = new Operation { Name = name, Done = true, Metadata = Pack(metadata), Error = error.Clone() };
        Add(operation);
        return operation;
    }

    /// <summary>A copy of the named operation, or null when there is none.</summary>
    /// <param name="name">The name.</param>
    public Operation? Find(string name)
    {
        lock (_gate)
        {
            return _byName.TryGetValue(name, out StoredOperation? stored) ? stored.Operation.Clone() : null;
        }
    }

    /// <summary>Copies of every operation, in insertion order.</summary>
    public IReadOnlyList<Operation> Snapshot()
    {
        lock (_gate)
        {
            return _ordered.Where(s => !s.Removed).Select(s => s.Operation.Clone()).ToList();
        }
    }

    /// <summary>Finishes a running operation with a response, waking its waiters.</summary>
    /// <param name="name">The name.</param>
    /// <param name="response">The response; null for <c>google.protobuf.Empty</c>.</param>
    /// <exception cref="KeyNotFoundException">No such operation.</exception>
    public void Complete(string name, IMessage? response = null)
        => Update(name, op =>
        {
            op.Done = true;
            op.Response = Any.Pack(response ?? new Empty());
        });

    /// <summary>Finishes a running operation with an error, waking its waiters.</summary>
    /// <param name="name">The name.</param>
    /// <param name="error">The error.</param>
    /// <exception cref="KeyNotFoundException">No such operation.</exception>
    public void Fail(string name, Google.Rpc.Status error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Update(name, op =>
        {
            op.Done = true;
            op.Error = error.Clone();
        });
    }

    /// <summary>
    /// Adds a running matters.count operation as Vault reports one: <see cref="CountArtifactsMetadata"/>
    /// with its start time (now, on <see cref="FakeServerOptions.TimeProvider"/>), matter and query.
    /// <paramref name="duration"/> later on that clock it completes with <paramref name="response"/>
    /// and the metadata gains its end time — unless it was cancelled (or otherwise ended) first.
    /// </summary>
    /// <param name="name">The name, e.g. <c>operations/count-1</c>.</param>
    /// <param name="matterId">The matter counted.</param>
    /// <param name="duration">How long the count runs; positive.</param>
    /// <param name="response">What it completes with.</param>
    /// <param name="query">The query counted; null for none.</param>
    /// <returns>A copy of what was stored.</returns>
    public Operation AddCountOperation(string name, string matterId, TimeSpan duration, CountArtifactsResponse response, Query? query = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(response);
        var metadata = new CountArtifactsMetadata { StartTime = Timestamp.FromDateTimeOffset(_time.GetUtcNow()), MatterId = matterId, Query = query?.Clone() };
        Operation operation = AddRunning(name, metadata);
        CountArtifactsResponse result = response.Clone();
        lock (_gate)
        {
            StoredOperation stored = _byName[name];
            stored.Completion = _time.CreateTimer(_ => FinishCount(stored, result), null, duration, Timeout.InfiniteTimeSpan);
        }

        return operation;
    }

    /// <summary>A seeded count coming due: done with its response and end time, unless it ended (or went) meanwhile.</summary>
    private void FinishCount(StoredOperation stored, CountArtifactsResponse response)
    {
        lock (_gate)
        {
            stored.Completion?.Dispose();
            stored.Completion = null;
            if (stored.Removed || stored.Operation.Done)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            Change(stored, op =>
            {
                CountArtifactsMetadata metadata = op.Metadata.Unpack<CountArtifactsMetadata>();
                metadata.EndTime = Timestamp.FromDateTimeOffset(now);
                op.Metadata = Any.Pack(metadata);
                op.Done = true;
                op.Response = Any.Pack(response);
            });
        }
    }

    /// <summary>Sets what CancelOperation does to the named operation (see <see cref="FakeCancelBehaviour"/>); replaces an earlier script.</summary>
    /// <param name="name">The name.</param>
    /// <param name="behaviour">The behaviour, e.g. <see cref="FakeCancelBehaviour.HonourAfter"/>.</param>
    /// <exception cref="KeyNotFoundException">No such operation.</exception>
    public void ScriptCancel(string name, FakeCancelBehaviour behaviour)
    {
        ArgumentNullException.ThrowIfNull(behaviour);
        lock (_gate)
        {
            if (!_byName.TryGetValue(name, out StoredOperation? stored))
            {
                throw new KeyNotFoundException($"The store holds no operation named '{name}'.");
            }

            stored.CancelBehaviour = behaviour;
        }
    }

    /// <summary>Removes an operation; false when there was none.</summary>
    /// <param name="name">The name.</param>
    public bool Remove(string name)
    {
        lock (_gate)
        {
            if (!_byName.Remove(name, out StoredOperation? stored))
            {
                return false;
            }

            stored.Removed = true;
            stored.DropTimers();
            stored.SignalChanged();
            _removedInOrdered++;
            CompactIfSparse();
            return true;
        }
    }

    /// <summary>Removes every operation.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (StoredOperation stored in _byName.Values)
            {
                stored.Removed = true;
                stored.DropTimers();
                stored.SignalChanged();
            }

            _byName.Clear();
            _ordered.Clear();
            _removedInOrdered = 0;
        }
    }

    /// <summary>
    /// CancelOperation, as the operation's <see cref="FakeCancelBehaviour"/> says: by default a running
    /// operation becomes done with CANCELLED at once; a done one is left as it is.
    /// </summary>
    internal void Cancel(string name)
    {
        lock (_gate)
        {
            StoredOperation stored = GetOrThrow(name);
            FakeCancelBehaviour behaviour = stored.CancelBehaviour;
            if (behaviour.Kind == FakeCancelKind.Unsupported)
            {
                throw FakeErrors.Create(StatusCode.Unimplemented, "This server does not support cancelling operations.");
            }

            if (stored.Operation.Done)
            {
                return;
            }

            switch (behaviour.Kind)
            {
                case FakeCancelKind.Ignore:
                    break;
                case FakeCancelKind.CompleteFirst:
                    Change(stored, op =>
                    {
                        op.Done = true;
                        op.Response = Any.Pack(behaviour.Response ?? new Empty());
                    });
                    break;
                case FakeCancelKind.FailFirst:
                    Change(stored, op =>
                    {
                        op.Done = true;
                        op.Error = behaviour.Error!.Clone();
                    });
                    break;
                case FakeCancelKind.HonourAfterDelay when behaviour.Delay > TimeSpan.Zero:
                    // One pending cancel per operation: repeating the cancel does not move its end.
                    stored.PendingCancel ??= _time.CreateTimer(static state => ((PendingCancel)state!).Fire(), new PendingCancel(this, stored), behaviour.Delay, Timeout.InfiniteTimeSpan);
                    break;
                default:
                    MarkCancelled(stored);
                    break;
            }
        }
    }

    /// <summary>A delayed cancel coming due: the operation ends CANCELLED unless it ended (or went) meanwhile.</summary>
    private void CompleteDelayedCancel(StoredOperation stored)
    {
        lock (_gate)
        {
            stored.PendingCancel?.Dispose();
            stored.PendingCancel = null;
            if (!stored.Removed && !stored.Operation.Done)
            {
                MarkCancelled(stored);
            }
        }
    }

    private static void MarkCancelled(StoredOperation stored) => Change(stored, op =>
    {
        op.Done = true;
        op.Error = new Google.Rpc.Status { Code = CancelledCode, Message = "Operation cancelled by the caller." };
    });

    /// <summary>Replaces the stored operation with a changed copy and wakes its waiters; under the lock.</summary>
    private static void Change(StoredOperation stored, Action<Operation> change)
    {
        Operation next = stored.Operation.Clone();
        change(next);
        stored.Operation = next;
        stored.SignalChanged();
    }

    internal Operation Get(string name)
    {
        lock (_gate)
        {
            return GetOrThrow(name).Operation.Clone();
        }
    }

    internal void Delete(string name)
    {
        if (!Remove(name))
        {
            throw FakeErrors.Create(StatusCode.NotFound, $"Operation '{name}' not found.");
        }
    }

    internal ListOperationsResponse List(string filter, int pageSize, string pageToken)
    {
        if (!OperationFilter.TryParse(filter, out bool? done))
        {
            throw FakeErrors.Create(StatusCode.InvalidArgument, $"Unsupported filter '{filter}': use 'done=true' or 'done=false'.");
        }

        long after = 0;
        if (pageToken.Length > 0 && !PageToken.TryDecode(pageToken, filter, out after))
        {
            throw FakeErrors.Create(StatusCode.InvalidArgument, "Invalid page token: it was not issued by this server for this filter.");
        }

        var response = new ListOperationsResponse();
        lock (_gate)
        {
            int start = FirstIndexAfter(after);
            long lastSent = after;
            for (int i = start; i < _ordered.Count; i++)
            {
                StoredOperation stored = _ordered[i];
                if (stored.Removed || (done is bool wanted && stored.Operation.Done != wanted))
                {
                    continue;
                }

                if (response.Operations.Count == pageSize)
                {
                    response.NextPageToken = PageToken.Encode(lastSent, filter);
                    break;
                }

                response.Operations.Add(stored.Operation.Clone());
                lastSent = stored.Sequence;
            }
        }

        return response;
    }

    /// <summary>Until the operation is done, <paramref name="timeout"/> passes (then its current state) or the token fires.</summary>
    internal async Task<Operation> WaitAsync(string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTimeOffset until = _time.GetUtcNow() + timeout;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                StoredOperation stored = GetOrThrow(name);
                if (stored.Operation.Done)
                {
                    return stored.Operation.Clone();
                }

                stored.Changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed = stored.Changed.Task;
            }

            TimeSpan left = until - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return Get(name);
            }

            try
            {
                await changed.WaitAsync(left, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return Get(name);
            }
        }
    }

    private static Any? Pack(IMessage? message) => message is null ? null : Any.Pack(message);

    private void Update(string name, Action<Operation> change)
    {
        lock (_gate)
        {
            if (!_byName.TryGetValue(name, out StoredOperation? stored))
            {
                throw new KeyNotFoundException($"The store holds no operation named '{name}'.");
            }

            Change(stored, change);
        }
    }

    private StoredOperation GetOrThrow(string name)
        => _byName.TryGetValue(name, out StoredOperation? stored)
            ? stored
            : throw FakeErrors.Create(StatusCode.NotFound, $"Operation '{name}' not found.");

    private int FirstIndexAfter(long sequence)
    {
        int low = 0;
        int high = _ordered.Count;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (_ordered[middle].Sequence <= sequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private void CompactIfSparse()
    {
        if (_removedInOrdered > 64 && _removedInOrdered > _ordered.Count / 2)
        {
            _ordered.RemoveAll(s => s.Removed);
            _removedInOrdered = 0;
        }
    }

    /// <summary>The state of a delayed cancel's timer: the store and the operation it ends.</summary>
    private sealed class PendingCancel(FakeOperationStore store, StoredOperation stored)
    {
        public void Fire() => store.CompleteDelayedCancel(stored);
    }
}
