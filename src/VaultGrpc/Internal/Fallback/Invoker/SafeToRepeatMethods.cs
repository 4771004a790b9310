using System.Collections.Frozen;
using Google.Api;
using Google.Protobuf.Reflection;

namespace VaultGrpc.Internal.Fallback.Invoker;

/// <summary>
/// Which methods (by full name, <c>/package.Service/Method</c>) a second execution leaves as the
/// first left them, so that an ambiguous gRPC failure may move them to REST: those the service
/// descriptors mark (idempotency_level NO_SIDE_EFFECTS or IDEMPOTENT, or an http rule with
/// <c>get</c>), plus an explicit set. Every other method is not safe to repeat.
/// </summary>
internal sealed class SafeToRepeatMethods
{
    private readonly FrozenSet<string> _methods;

    public SafeToRepeatMethods(IEnumerable<ServiceDescriptor> services, IEnumerable<string> explicitlySafe)
    {
        var methods = new HashSet<string>(explicitlySafe, StringComparer.Ordinal);
        foreach (ServiceDescriptor service in services)
        {
            foreach (MethodDescriptor method in service.Methods)
            {
                if (IsMarkedSafe(method))
                {
                    methods.Add(FullName(method));
                }
            }
        }

        _methods = methods.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Whether <paramref name="fullName"/> is safe to repeat.</summary>
    public bool Contains(string fullName) => _methods.Contains(fullName);

    /// <summary>The name gRPC puts on the wire, as <c>Method&lt;,&gt;.FullName</c> has it.</summary>
    public static string FullName(MethodDescriptor method) => "/" + method.Service.FullName + "/" + method.Name;

    private static bool IsMarkedSafe(MethodDescriptor method)
    {
        MethodOptions? options = method.GetOptions();
        if (options is null)
        {
            return false;
        }

        if (options.IdempotencyLevel is MethodOptions.Types.IdempotencyLevel.NoSideEffects or MethodOptions.Types.IdempotencyLevel.Idempotent)
        {
            return true;
        }

        HttpRule? rule = options.GetExtension(AnnotationsExtensions.Http);
        return rule?.PatternCase == HttpRule.PatternOneofCase.Get;
    }
}
