using Grpc.Core;
using VaultGrpc.Internal.GrpcCalls;

namespace VaultGrpc.Tests.GrpcCalls;

/// <summary>The request headers of every gRPC call, built with one string per call.</summary>
[Trait("Category", "Reliability")]
public sealed class GrpcCallHeadersTests
{
    public static TheoryData<string> Names =>
    [
        "operations/op-1",
        "operations/a b/%/é/😀",
        // Longer escaped than the stack buffer: the two-string path.
        "operations/" + new string('é', 300),
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void Create_AnyName_RequestParamsIsNameEqualsEscapedName(string name)
    {
        Metadata headers = GrpcCallHeaders.Create("gl-dotnet/10.0", name);

        Assert.Equal("name=" + Uri.EscapeDataString(name), headers.GetValue(GrpcCallHeaders.RequestParams));
        Assert.Equal("gl-dotnet/10.0", headers.GetValue(GrpcCallHeaders.ApiClient));
    }

    [Fact]
    public void Create_SharedApiClientEntry_SameEntryInEveryCallsHeaders()
    {
        Metadata.Entry apiClient = GrpcCallHeaders.ApiClientEntry("gl-dotnet/10.0");

        Metadata first = GrpcCallHeaders.Create(apiClient, "operations/a");
        Metadata second = GrpcCallHeaders.Create(apiClient, "operations/b");

        Assert.Same(first[0], second[0]);
        Assert.Equal("name=operations%2Fa", first.GetValue(GrpcCallHeaders.RequestParams));
        Assert.Equal("name=operations%2Fb", second.GetValue(GrpcCallHeaders.RequestParams));
    }
}
