using Google.Protobuf.Reflection;
using Grpc.Core;

namespace VaultGrpc.Cli.Output;

/// <summary>Canonical gRPC status code names as Google's APIs spell them: <c>NOT_FOUND</c>, <c>DEADLINE_EXCEEDED</c>.</summary>
internal static class StatusCodeNames
{
    // google.rpc.Code names its values exactly so; the same source the REST error reader uses.
    private static readonly EnumDescriptor Codes = Google.Rpc.CodeReflection.Descriptor.EnumTypes[0];

    /// <summary>The canonical name of <paramref name="code"/>; <c>UNKNOWN</c> for a number outside the enum.</summary>
    public static string Of(StatusCode code) => Codes.FindValueByNumber((int)code)?.Name ?? "UNKNOWN";
}
