using System.Net;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.Tests.AnyTypes.Protos;

namespace VaultGrpc.Tests.AnyTypes;

public sealed class AnyTypesOptionsTests
{
    [Fact]
    public void AnyTypes_Default_Empty()
    {
        var options = new VaultOperationsClientOptions();

        Assert.Empty(options.AnyTypes);
    }

    [Fact]
    public void GetValidationErrors_NullInAnyTypes_Reported()
    {
        var options = new VaultOperationsClientOptions { Credentials = VaultCredentials.None };
        options.AnyTypes.Add(null!);

        string error = Assert.Single(options.GetValidationErrors());

        Assert.Contains("AnyTypes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_AnyTypesChangedAfterwards_CopyKeepsItsOwnList()
    {
        var options = new VaultOperationsClientOptions();
        options.AnyTypes.Add(CountArtifactsTestMetadata.Descriptor);

        VaultOperationsClientOptions copy = options.Clone();
        options.AnyTypes.Clear();

        Assert.Equal([CountArtifactsTestMetadata.Descriptor], copy.AnyTypes);
    }

    [Fact]
    public void With_NoExtraTypes_SharedBuiltInRegistry()
    {
        Assert.Same(KnownTypes.Registry, KnownTypes.With([]));
        Assert.Same(KnownTypes.Registry, KnownTypes.With([Struct.Descriptor]));
    }

    [Fact]
    public void With_CallerType_KnownAlongsideBuiltInTypes()
    {
        TypeRegistry registry = KnownTypes.With([CountArtifactsTestMetadata.Descriptor]);

        Assert.NotNull(registry.Find("vaultgrpc.test.CountArtifactsTestMetadata"));
        Assert.NotNull(registry.Find("google.rpc.ErrorInfo"));
        Assert.Null(KnownTypes.Registry.Find("vaultgrpc.test.CountArtifactsTestMetadata"));
    }

    [Fact]
    public void FromResponse_ErrorDetailOfCallerType_DecodedWithTheClientsTypes()
    {
        const string Body = """
            {"error":{"code":400,"message":"bad","status":"INVALID_ARGUMENT",
             "details":[{"@type":"type.googleapis.com/vaultgrpc.test.Requester","email":"lead@example.com","level":2}]}}
            """;
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest);
        var json = new RestMessageJson(KnownTypes.With([Requester.Descriptor]));

        RpcException typed = RestErrors.FromResponse(response, System.Text.Encoding.UTF8.GetBytes(Body), truncated: false, json);
        RpcException untyped = RestErrors.FromResponse(response, System.Text.Encoding.UTF8.GetBytes(Body), truncated: false);

        Assert.Equal(2, typed.GetRpcStatus()!.Details[0].Unpack<Requester>().Level);
        Assert.Equal("lead@example.com", untyped.GetRpcStatus()!.Details[0].Unpack<Struct>().Fields["email"].StringValue);
    }
}
