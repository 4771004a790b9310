using Google.LongRunning;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>The message types the REST transport can decode inside an <c>Any</c>.</summary>
internal static class KnownTypes
{
    /// <summary>google.longrunning, google.rpc status and error details, and the well-known types.</summary>
    public static TypeRegistry Registry { get; } = TypeRegistry.FromFiles(
        OperationsReflection.Descriptor,
        Google.Rpc.StatusReflection.Descriptor,
        Google.Rpc.ErrorDetailsReflection.Descriptor,
        AnyReflection.Descriptor,
        DurationReflection.Descriptor,
        TimestampReflection.Descriptor,
        StructReflection.Descriptor,
        EmptyReflection.Descriptor,
        FieldMaskReflection.Descriptor,
        WrappersReflection.Descriptor);
}
