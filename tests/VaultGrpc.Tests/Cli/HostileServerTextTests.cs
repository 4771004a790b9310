using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Cli;

/// <summary>
/// Servers whose text tries to forge output lines or drive the terminal: whatever they send, vault-ops
/// prints one line per result, no raw control, separator or bidi character, and valid JSON in JSON mode.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class HostileServerTextTests
{
    /// <summary>What hostile servers put in messages; most try to pass a forged success line off as real.</summary>
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["lf"] = "ok\ncancelled operations/x via grpc",
        ["cr"] = "ok\rcancelled operations/x via grpc",
        ["crlf"] = "ok\r\ncancelled operations/x via grpc",
        ["sgr-colour"] = "ok \u001b[31mred\u001b[0m via grpc",
        ["osc-title-and-link"] = "ok \u001b]0;owned\u0007 \u001b]8;;http://127.0.0.1/\u001b\\link\u001b]8;;\u001b\\ via grpc",
        ["cursor-up-and-erase"] = "ok\b\b\u001b[2K\u001b[1Acancelled operations/x via grpc",
        ["nul"] = "ok\0hidden via grpc",
        ["line-separator"] = "ok\u2028cancelled operations/x via grpc",
        ["paragraph-separator-and-nel"] = "ok\u2029cancelled\u0085operations/x via grpc",
        ["bidi-override-and-isolate"] = "ok \u202ecprg aiv x/snoitarepo dellecnac\u202c \u2066isolated\u2069 via grpc",
        ["c1-csi-and-del"] = "ok \u009b31m csi \u007f via grpc",
    };

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string key in Messages.Keys)
        {
            foreach (string transport in new[] { "grpc", "rest" })
            {
                foreach (string output in new[] { "text", "json" })
                {
                    data.Add(key, transport, output);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Cancel_ServerMessageWithControlCharacters_OneLinePerNameAndNothingRaw(string message, string transport, string output)
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        string[] names = ["operations/a", "operations/b", "operations/c"];
        fake.Faults.Add(Fault.Status(StatusCode.FailedPrecondition, Messages[message]), OperationsMethod.Cancel);

        CliRun run = await FakeCli.RunAsync(fake, ["cancel", .. names, "--transport", transport, "--output", output]);

        Assert.Equal(1, run.ExitCode);
        string[] lines = FakeCli.Lines(run.Out);
        Assert.Equal(names.Length, lines.Length);
        FakeCli.AssertNothingRaw(run.Out);
        FakeCli.AssertNothingRaw(run.Error);
        Assert.DoesNotContain(lines, l => l.StartsWith("cancelled", StringComparison.Ordinal));
        foreach (string line in lines)
        {
            if (output == "json")
            {
                JsonElement json = JsonDocument.Parse(line).RootElement;
                Assert.False(json.GetProperty("ok").GetBoolean());
                Assert.StartsWith("ok", json.GetProperty("message").GetString(), StringComparison.Ordinal);
                Assert.EndsWith("via grpc", json.GetProperty("message").GetString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.StartsWith("FAILED operations/", line, StringComparison.Ordinal);
                Assert.EndsWith("via grpc", line, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("grpc", "text")]
    [InlineData("rest", "text")]
    [InlineData("grpc", "json")]
    [InlineData("rest", "json")]
    public async Task Get_OperationFailedWithForgedLines_OneOperationLineAndNothingRaw(string transport, string output)
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddFailed("operations/f", new Google.Rpc.Status { Code = (int)StatusCode.Aborted, Message = Messages["lf"] + Messages["osc-title-and-link"] });

        CliRun run = await FakeCli.RunAsync(fake, "get", "operations/f", "--transport", transport, "--output", output);

        Assert.Equal(0, run.ExitCode);
        string[] lines = FakeCli.Lines(run.Out);
        FakeCli.AssertNothingRaw(run.Out);
        if (output == "json")
        {
            Assert.Equal("operations/f", JsonDocument.Parse(Assert.Single(lines)).RootElement.GetProperty("name").GetString());
        }
        else
        {
            // The operation, then how it was served.
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("operations/f  done, error ABORTED: ok", lines[0], StringComparison.Ordinal);
            Assert.Equal("  via " + transport, lines[1]);
        }
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task List_ServerNamesAndMessagesWithControlCharacters_OneLinePerOperation(string output)
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.Add(new Operation { Name = "operations/a\ncancelled operations/x via grpc" });
        fake.Store.Add(new Operation { Name = "operations/\u202eb\u2066" });
        fake.Store.AddFailed("operations/c", new Google.Rpc.Status { Code = 1, Message = Messages["crlf"] + Messages["c1-csi-and-del"] });

        CliRun run = await FakeCli.RunAsync(fake, "list", "--output", output);

        Assert.Equal(0, run.ExitCode);
        string[] lines = FakeCli.Lines(run.Out);
        Assert.Equal(3, lines.Length);
        FakeCli.AssertNothingRaw(run.Out);
        Assert.DoesNotContain(lines, l => l.StartsWith("cancelled", StringComparison.Ordinal));
        if (output == "json")
        {
            Assert.All(lines, l => Assert.StartsWith("operations/", JsonDocument.Parse(l).RootElement.GetProperty("name").GetString(), StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Get_MetadataTypeUrlWithEscapeSequence_NothingRawAndJsonStaysValid(string output)
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        var metadata = new Any { TypeUrl = "type.googleapis.com/x.Y\u001b[2J\u001b[H\nforged", Value = ByteString.CopyFromUtf8("v") };
        fake.Store.Add(new Operation { Name = "operations/m", Metadata = metadata });

        CliRun run = await FakeCli.RunAsync(fake, "get", "operations/m", "--transport", "grpc", "--output", output);

        Assert.Equal(0, run.ExitCode);
        FakeCli.AssertNothingRaw(run.Out);
        string[] lines = FakeCli.Lines(run.Out);
        if (output == "json")
        {
            JsonElement json = JsonDocument.Parse(Assert.Single(lines)).RootElement;
            Assert.Equal(metadata.TypeUrl, json.GetProperty("metadata").GetProperty("@type").GetString());
        }
        else
        {
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("operations/m  running  (metadata type.googleapis.com/x.Y", lines[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Wait_OperationFailedWithForgedLine_OneOperationLineAndNothingRaw()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();
        fake.Store.AddFailed("operations/w", new Google.Rpc.Status { Code = 2, Message = Messages["line-separator"] + Messages["nul"] });

        CliRun run = await FakeCli.RunAsync(fake, "wait", "operations/w", "--wait-timeout", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, FakeCli.Lines(run.Out).Length);
        FakeCli.AssertNothingRaw(run.Out);
    }

    [Fact]
    public async Task Cancel_NameWithEscapeSequenceAndLineBreak_RejectedWithOneEscapedLinePerProblem()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();

        CliRun run = await FakeCli.RunAsync(fake, "cancel", "operations/a\u001b[31m", "operations/b\ncancelled operations/x via grpc");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(fake.Journal.Entries);
        FakeCli.AssertNothingRaw(run.Error);
        // The header line and one line per invalid name.
        Assert.Equal(3, FakeCli.Lines(run.Error).Length);
        Assert.Contains("\\u001B[31m", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_UnknownOptionWithEscapeSequence_UsageErrorEscaped()
    {
        await using FakeOperationsServer fake = await FakeCli.StartAsync();

        CliRun run = await FakeCli.RunAsync(fake, "cancel", "operations/a", "--\u001b]0;owned\u0007");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(fake.Journal.Entries);
        FakeCli.AssertNothingRaw(run.Error);
    }

    [Fact]
    public async Task Cancel_UnexpectedExceptionQuotingAServer_OneEscapedLineOnStandardError()
    {
        // Making the client fails in a way nobody planned for, with a message that quotes a server.
        CliRun run = await CliRun.RunAsync(
            ["cancel", "operations/a", "--no-auth"],
            _ => throw new InvalidOperationException("server said: boom\n\u001b[1Acancelled operations/x via grpc"),
            string.Empty,
            null,
            errorIsTerminal: false,
            CancellationToken.None);

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Out);
        FakeCli.AssertNothingRaw(run.Error);
        Assert.StartsWith("vault-ops cancel: failed: server said: boom", Assert.Single(FakeCli.Lines(run.Error)), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Error);
    }
}
