using System.Text.Json;
using VaultGrpc.Cli;
using VaultGrpc.Cli.Clients;

namespace VaultGrpc.Tests.Cli;

/// <summary><c>fake-server</c>'s start flags, in process: each reaches the fake, as its admin API then reports.</summary>
[Trait("Category", "Reliability")]
public sealed class FakeServerCommandTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StartFlags_EverySetting_AdminStatusReportsThem()
    {
        var output = new StringWriter();
        TextWriter syncOut = TextWriter.Synchronized(output);
        var host = new CliHost(Stream.Null, syncOut, TextWriter.Null, false, false, _ => null, ExplainedFailuresClient.ForOptions);
        using var stop = new CancellationTokenSource();

        Task<int> server = VaultOpsApp.RunAsync(
            ["fake-server", "--ready-json", "--grpc-mode", "gateway-503", "--grpc-unimplemented", "wait", "--grpc-unimplemented", "cancel",
             "--rest-error-shape", "bare-status", "--strict-cancel-body", "--seed-ops", "4", "--rest-h2c-port", "-1", "--require-token", "t0k"],
            host,
            stop.Token);
        string line = await ReadLineAsync(syncOut, output, server);
        using JsonDocument ready = JsonDocument.Parse(line);
        using var admin = new HttpClient { BaseAddress = new Uri(ready.RootElement.GetProperty("admin").GetString()!), Timeout = Bound };
        using JsonDocument status = JsonDocument.Parse(await admin.GetStringAsync("/v1/status"));
        await stop.CancelAsync();
        int exitCode = await server.WaitAsync(Bound);

        JsonElement s = status.RootElement;
        Assert.Equal("gateway-503", s.GetProperty("grpcMode").GetString());
        Assert.Equal(["cancel", "wait"], s.GetProperty("grpcUnimplementedMethods").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("bare-status", s.GetProperty("restErrorShape").GetString());
        Assert.True(s.GetProperty("strictCancelBody").GetBoolean());
        Assert.True(s.GetProperty("requiresToken").GetBoolean());
        Assert.Equal(4, s.GetProperty("operations").GetInt32());
        Assert.Equal(JsonValueKind.Null, ready.RootElement.GetProperty("restH2c").ValueKind);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task AdminPortMinusOne_NoAdminInReadyLine()
    {
        var output = new StringWriter();
        TextWriter syncOut = TextWriter.Synchronized(output);
        var host = new CliHost(Stream.Null, syncOut, TextWriter.Null, false, false, _ => null, ExplainedFailuresClient.ForOptions);
        using var stop = new CancellationTokenSource();

        Task<int> server = VaultOpsApp.RunAsync(["fake-server", "--ready-json", "--admin-port", "-1"], host, stop.Token);
        string line = await ReadLineAsync(syncOut, output, server);
        await stop.CancelAsync();
        await server.WaitAsync(Bound);
        using JsonDocument ready = JsonDocument.Parse(line);

        Assert.Equal(JsonValueKind.Null, ready.RootElement.GetProperty("admin").ValueKind);
        Assert.False(ready.RootElement.GetProperty("env").TryGetProperty("VAULT_FAKE_ADMIN", out _));
    }

    [Theory]
    [InlineData("--grpc-mode", "sleepy")]
    [InlineData("--grpc-unimplemented", "pause")]
    [InlineData("--rest-error-shape", "xml")]
    public async Task BadWord_ExitsTwo(string flag, string value)
    {
        var error = new StringWriter();
        var host = new CliHost(Stream.Null, TextWriter.Null, error, false, false, _ => null, ExplainedFailuresClient.ForOptions);

        int exitCode = await VaultOpsApp.RunAsync(["fake-server", flag, value], host).WaitAsync(Bound);

        Assert.Equal(2, exitCode);
        Assert.Contains(value, error.ToString());
    }

    private static async Task<string> ReadLineAsync(TextWriter syncOut, StringWriter output, Task<int> server)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (true)
        {
            string text;
            lock (syncOut)
            {
                text = output.ToString();
            }

            if (text.Contains('\n', StringComparison.Ordinal))
            {
                return text[..text.IndexOf('\n', StringComparison.Ordinal)];
            }

            Assert.False(server.IsCompleted, "fake-server ended before its ready line.");
            await Task.Delay(20, bound.Token);
        }
    }
}
