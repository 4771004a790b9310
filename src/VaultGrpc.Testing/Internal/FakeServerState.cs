using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace VaultGrpc.Testing.Internal;

/// <summary>Everything the fake's request pipeline reads and a test changes while it runs.</summary>
internal sealed class FakeServerState
{
    private readonly ConcurrentDictionary<OperationsMethod, bool> _grpcUnimplemented = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile GrpcServingMode _grpcMode;
    private volatile RestErrorShape _errorShape;
    private volatile bool _strictCancelBody;

    public FakeServerState(FakeServerOptions options)
    {
        Options = options;
        _grpcMode = options.GrpcMode;
        _errorShape = options.RestErrorShape;
        _strictCancelBody = options.StrictCancelBody;
        RequiredAuthorization = options.RequiredBearerToken is null ? null : "Bearer " + options.RequiredBearerToken;
        Store = new FakeOperationStore(options.TimeProvider);
        Journal = new CallJournal(options.JournalCapacity);
        Faults = new FaultScript(options.RandomSeed);
        TypeRegistry = BuildTypeRegistry(options.AnyTypes);
        RestAnswers = new RestAnswers(new JsonFormatter(JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry)));
    }

    public FakeServerOptions Options { get; }

    public FakeOperationStore Store { get; }

    public CallJournal Journal { get; }

    public FaultScript Faults { get; }

    public TypeRegistry TypeRegistry { get; }

    public RestAnswers RestAnswers { get; }

    /// <summary>The whole <c>Authorization</c> value a call must carry, or null for no check.</summary>
    public string? RequiredAuthorization { get; }

    /// <summary>Fires when the fake stops, so held calls (Hang, Wait) end at once.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public GrpcServingMode GrpcMode
    {
        get => _grpcMode;
        set => _grpcMode = value;
    }

    public RestErrorShape ErrorShape
    {
        get => _errorShape;
        set => _errorShape = value;
    }

    /// <summary>Whether REST Cancel refuses any body, <c>{}</c> included.</summary>
    public bool StrictCancelBody
    {
        get => _strictCancelBody;
        set => _strictCancelBody = value;
    }

    /// <summary>The gRPC services mapped besides Operations (health, reflection), filled in once the app is built.</summary>
    public IReadOnlySet<string> OtherGrpcServices { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlyCollection<OperationsMethod> GrpcUnimplementedMethods => _grpcUnimplemented.Keys.Order().ToArray();

    public bool IsGrpcUnimplemented(OperationsMethod method) => _grpcUnimplemented.ContainsKey(method);

    public void SetGrpcUnimplemented(IEnumerable<OperationsMethod> methods)
    {
        _grpcUnimplemented.Clear();
        foreach (OperationsMethod method in methods)
        {
            _grpcUnimplemented[method] = true;
        }
    }

    public void Stop()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static TypeRegistry BuildTypeRegistry(IEnumerable<MessageDescriptor> extra)
    {
        var files = new List<FileDescriptor>
        {
            Google.Protobuf.WellKnownTypes.AnyReflection.Descriptor,
            Google.Protobuf.WellKnownTypes.EmptyReflection.Descriptor,
            Google.Protobuf.WellKnownTypes.StructReflection.Descriptor,
            Google.Protobuf.WellKnownTypes.TimestampReflection.Descriptor,
            Google.Protobuf.WellKnownTypes.DurationReflection.Descriptor,
            Google.Protobuf.WellKnownTypes.WrappersReflection.Descriptor,
            Google.Protobuf.WellKnownTypes.FieldMaskReflection.Descriptor,
            Google.Rpc.StatusReflection.Descriptor,
            Google.Rpc.ErrorDetailsReflection.Descriptor,
            VaultGrpc.LongRunning.OperationsReflection.Descriptor,
            VaultGrpc.Vault.Count.V1.CountReflection.Descriptor,
        };
        files.AddRange(extra.Select(d => d.File));
        return TypeRegistry.FromFiles(files.Distinct().ToArray());
    }
}
