using Google.Api;
using Google.Protobuf.Reflection;
using VaultGrpc.LongRunning;
using VaultGrpc.Tests.Support;

namespace VaultGrpc.Tests.ProtoLayout;

/// <summary>
/// Vault's routes are stated twice: in the google.api.http options of our google.longrunning copy
/// (protos/longrunning, compiled into the library) and in the service config of protos/vault (for
/// builds that take google.longrunning from googleapis instead). The two must say the same.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class VaultServiceConfigTests
{
    private static readonly string ServiceConfig = RepositoryPaths.File("protos", "vault", "vaultgrpc", "vault", "v1", "vault_v1.yaml");

    [Fact]
    public void HttpRules_EveryOperationsMethod_SameRouteAsTheLongRunningCopy()
    {
        ServiceDescriptor operations = OperationsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Operations");

        IReadOnlyDictionary<string, string> inConfig = ServiceConfigHttpRules.Read(ServiceConfig);

        var inProto = operations.Methods
            .Where(m => m.GetOptions()?.HasExtension(AnnotationsExtensions.Http) == true)
            .ToDictionary(m => m.FullName, m => Describe(m.GetOptions().GetExtension(AnnotationsExtensions.Http)));
        Assert.Equal(4, inProto.Count);
        Assert.Equal(inProto.OrderBy(p => p.Key), inConfig.OrderBy(p => p.Key));
    }

    [Fact]
    public void HttpRules_Cancel_PostWithoutBody()
    {
        IReadOnlyDictionary<string, string> inConfig = ServiceConfigHttpRules.Read(ServiceConfig);

        string cancel = inConfig["google.longrunning.Operations.CancelOperation"];

        Assert.Equal("POST /v1/{name=operations/**}:cancel", cancel);
    }

    private static string Describe(HttpRule rule)
    {
        string route = rule.PatternCase switch
        {
            HttpRule.PatternOneofCase.Get => "GET " + rule.Get,
            HttpRule.PatternOneofCase.Put => "PUT " + rule.Put,
            HttpRule.PatternOneofCase.Post => "POST " + rule.Post,
            HttpRule.PatternOneofCase.Delete => "DELETE " + rule.Delete,
            HttpRule.PatternOneofCase.Patch => "PATCH " + rule.Patch,
            _ => throw new InvalidOperationException("unexpected http pattern " + rule.PatternCase),
        };
        return route + (rule.Body.Length == 0 ? "" : " body=" + rule.Body);
    }
}
