using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Cli;

public sealed class ReadCommandsTests
{
    [Fact]
    public async Task Get_Json_PrintsTheOperationAsProto3Json()
    {
        var gateway = new InMemoryClient();
        gateway.Operations["operations/a"] = new Operation { Name = "operations/a", Done = true, Response = Any.Pack(new Empty()) };

        CliRun run = await CliRun.RunAsync(["get", "operations/a", "--no-auth", "--output", "json"], gateway);

        Assert.Equal(0, run.ExitCode);
        JsonElement json = JsonDocument.Parse(run.OutLines.Single()).RootElement;
        Assert.Equal("operations/a", json.GetProperty("name").GetString());
        Assert.True(json.GetProperty("done").GetBoolean());
        Assert.Equal("type.googleapis.com/google.protobuf.Empty", json.GetProperty("response").GetProperty("@type").GetString());
    }

    [Fact]
    public async Task Get_NotFound_PrintsFailureLineAndExitsOne()
    {
        CliRun run = await CliRun.RunAsync(["get", "operations/none", "--no-auth", "--output", "json"], new InMemoryClient());

        Assert.Equal(1, run.ExitCode);
        JsonElement json = JsonDocument.Parse(run.OutLines.Single()).RootElement;
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Equal("NOT_FOUND", json.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Get_InvalidName_ExitsTwoWithoutCreatingAClient()
    {
        CliRun run = await CliRun.RunAsync(["get", "operations/a/", "--no-auth"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.ClientOptions);
    }

    [Fact]
    public async Task Get_Text_PrintsStateAndTransport()
    {
        var gateway = new InMemoryClient();
        gateway.Operations["operations/r"] = new Operation { Name = "operations/r" };

        CliRun run = await CliRun.RunAsync(["get", "operations/r", "--no-auth"], gateway);

        Assert.Equal(["operations/r  running", "via grpc"], run.OutLines);
    }

    [Fact]
    public async Task List_Json_PrintsEveryOperationOneALine()
    {
        var gateway = new InMemoryClient();
        for (int i = 0; i < 5; i++)
        {
            gateway.Operations[$"operations/{i}"] = new Operation { Name = $"operations/{i}", Done = i % 2 == 0 };
        }

        CliRun run = await CliRun.RunAsync(["list", "--no-auth", "--output", "json", "--page-size", "2", "--filter", "done=true"], gateway);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"operations/{i}"), run.OutLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("name").GetString()));
        Assert.Contains("5 operations", run.Error);
    }

    [Fact]
    public async Task List_NegativePageSize_ExitsTwo()
    {
        CliRun run = await CliRun.RunAsync(["list", "--no-auth", "--page-size", "-1"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public async Task Wait_DoneOperation_ExitsZero()
    {
        var gateway = new InMemoryClient();
        gateway.Operations["operations/w"] = new Operation { Name = "operations/w", Done = true };

        CliRun run = await CliRun.RunAsync(["wait", "operations/w", "--no-auth", "--wait-timeout", "1"], gateway);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("operations/w  done", run.OutLines[0]);
    }

    [Fact]
    public async Task Wait_StillRunningAtTimeout_ExitsOne()
    {
        var gateway = new InMemoryClient();
        gateway.Operations["operations/w"] = new Operation { Name = "operations/w" };

        CliRun run = await CliRun.RunAsync(["wait", "operations/w", "--no-auth", "--output", "json"], gateway);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("still running", run.Error);
    }

    [Fact]
    public async Task Wait_ZeroWaitTimeout_ExitsTwo()
    {
        CliRun run = await CliRun.RunAsync(["wait", "operations/w", "--no-auth", "--wait-timeout", "0"], new InMemoryClient());

        Assert.Equal(2, run.ExitCode);
    }
}
