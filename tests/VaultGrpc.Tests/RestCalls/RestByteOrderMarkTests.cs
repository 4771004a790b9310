using Grpc.Core;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>A REST body that starts with a UTF-8 byte order mark reads like the same body without it.</summary>
[Trait("Category", "Reliability")]
public sealed class RestByteOrderMarkTests(RawOperationServer raw) : IClassFixture<RawOperationServer>
{
    [Fact]
    public async Task GetAsync_SuccessBodyStartsWithBom_Parsed()
    {
        string name = raw.Serve("\uFEFF{\"name\":\"operations/bom\",\"done\":true}");
        await using VaultOperationsClient client = VaultOperationsClient.Create(raw.RestOnlyOptions());

        VaultResponse<VaultGrpc.LongRunning.Operation> got = await client.GetAsync(name).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(("operations/bom", true), (got.Value.Name, got.Value.Done));
    }

    [Fact]
    public async Task GetAsync_ErrorBodyStartsWithBom_StatusAndMessageRead()
    {
        string name = raw.Serve("\uFEFF{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\",\"message\":\"gone with a bom\"}}", status: 404);
        await using VaultOperationsClient client = VaultOperationsClient.Create(raw.RestOnlyOptions());

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(name).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("gone with a bom", error.Status.Detail);
    }
}
