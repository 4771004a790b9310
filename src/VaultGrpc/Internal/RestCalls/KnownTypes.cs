using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>The message types the REST transport can decode inside an <c>Any</c>.</summary>
internal static class KnownTypes
{
    private static readonly FileDescriptor[] Files =
    [
        OperationsReflection.Descriptor,
        Google.Rpc.StatusReflection.Descriptor,
        Google.Rpc.ErrorDetailsReflection.Descriptor,
        AnyReflection.Descriptor,
        DurationReflection.Descriptor,
        TimestampReflection.Descriptor,
        StructReflection.Descriptor,
        EmptyReflection.Descriptor,
        FieldMaskReflection.Descriptor,
        WrappersReflection.Descriptor,
        // Vault's own: matters.count's metadata and response.
        Vault.Count.V1.CountReflection.Descriptor,
    ];

    /// <summary>google.longrunning, google.rpc status and error details, the well-known types, and Vault's count types.</summary>
    public static TypeRegistry Registry { get; } = TypeRegistry.FromFiles(Files);

    /// <summary>
    /// <see cref="Registry"/> plus the files of <paramref name="extra"/> (and what they import);
    /// <see cref="Registry"/> itself when there are none.
    /// </summary>
    public static TypeRegistry With(IEnumerable<MessageDescriptor> extra)
    {
        FileDescriptor[] extraFiles = extra.Select(type => type.File).Except(Files).Distinct().ToArray();
        return extraFiles.Length == 0 ? Registry : TypeRegistry.FromFiles([.. Files, .. extraFiles]);
    }
}
