using System.Net;
using System.Net.Sockets;
using VaultGrpc.Cli.Bulk;
using VaultGrpc.Cli.Clients;
using VaultGrpc.Cli.Output;

namespace VaultGrpc.Tests.Cli;

/// <summary>
/// What a bulk run prints for each name now that a success is written without an outcome object and
/// the real client is called without the explaining wrapper: the same lines, and failures still explained.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class BulkRunOutputTests
{
    [Theory]
    [InlineData(Transport.Grpc, FallbackReason.None, "cancelled operations/a via grpc")]
    [InlineData(Transport.Rest, FallbackReason.GrpcUnimplemented, "cancelled operations/a via rest (fallback: grpc_unimplemented)")]
    [InlineData(Transport.Rest, FallbackReason.GrpcNoConnection, "cancelled operations/a via rest (fallback: grpc_no_connection)")]
    [InlineData(Transport.Rest, FallbackReason.GrpcNotServed, "cancelled operations/a via rest (fallback: grpc_not_served)")]
    [InlineData(Transport.Rest, FallbackReason.StickyRest, "cancelled operations/a via rest (fallback: sticky_rest)")]
    [InlineData(Transport.Rest, (FallbackReason)77, "cancelled operations/a via rest (fallback: 77)")]
    public void WriteSuccess_Text_SameLineAsTheOutcome(Transport transport, FallbackReason reason, string expected)
    {
        var call = new VaultCallInfo(transport, reason, null, 1);

        (string success, string outcome) = BothWays(OutputFormat.Text, "operations/a", call);

        Assert.Equal(expected + Environment.NewLine, success);
        Assert.Equal(outcome, success);
    }

    [Theory]
    [InlineData(Transport.Grpc, FallbackReason.None, """{"name":"operations/a","ok":true,"transport":"grpc","fallback":null}""")]
    [InlineData(Transport.Rest, FallbackReason.StickyRest, """{"name":"operations/a","ok":true,"transport":"rest","fallback":"sticky_rest"}""")]
    public void WriteSuccess_Json_SameLineAsTheOutcome(Transport transport, FallbackReason reason, string expected)
    {
        var call = new VaultCallInfo(transport, reason, null, 1);

        (string success, string outcome) = BothWays(OutputFormat.Json, "operations/a", call);

        Assert.Equal(expected + Environment.NewLine, success);
        Assert.Equal(outcome, success);
    }

    [Theory]
    [InlineData("operations/a\"b\\c")]
    [InlineData("operations/é ü 日本 😀")]
    [InlineData("operations/<script>&amp;'x'")]
    [InlineData("operations/\u0001\u2028\u202e")]
    public void WriteSuccess_JsonWithCharactersToEscape_SameBytesAsAJsonNodeLine(string name)
    {
        var call = new VaultCallInfo(Transport.Rest, FallbackReason.GrpcNoConnection, null, 1);
        var options = new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        string node = new System.Text.Json.Nodes.JsonObject { ["name"] = name, ["ok"] = true, ["transport"] = "rest", ["fallback"] = "grpc_no_connection" }.ToJsonString(options);

        (string success, _) = BothWays(OutputFormat.Json, name, call);

        Assert.Equal(TerminalText.Escape(node) + Environment.NewLine, success);
    }

    [Fact]
    public void WriteSuccess_NameEndsLikeACredentialPrefix_WholeLineIsRedactedAsBefore()
    {
        // "bearer" at the end of the name makes the next word look like a token: the line, not the
        // name alone, is what the redactor reads, so the word after it is masked as it always was.
        (string success, string outcome) = BothWays(OutputFormat.Text, "operations/x-bearer", InMemoryClient.ServedByGrpc);

        Assert.Equal("cancelled operations/x-bearer *** grpc" + Environment.NewLine, success);
        Assert.Equal(outcome, success);
    }

    [Fact]
    public void Unwrapped_ExplainingClient_GivesTheRealClientAndItsExplanation()
    {
        var real = new InMemoryClient();
        var options = new VaultOperationsClientOptions { Endpoint = new Uri("http://127.0.0.1:1"), TransportMode = TransportMode.GrpcOnly, Credentials = VaultCredentials.None };
        var refused = new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, "Error starting gRPC call.", new HttpRequestException("Connection refused (127.0.0.1:1)")));

        (VaultOperationsClient client, Func<Exception, Exception> explain) = ExplainedFailuresClient.Unwrapped(new ExplainedFailuresClient(real, options));

        Assert.Same(real, client);
        Assert.Contains("The gRPC endpoint http://127.0.0.1:1 could not be reached", explain(refused).Message);
    }

    [Fact]
    public void Unwrapped_OtherClient_GivesItBackWithFailuresUnchanged()
    {
        var client = new InMemoryClient();
        var failure = new InvalidOperationException("boom");

        (VaultOperationsClient unwrapped, Func<Exception, Exception> explain) = ExplainedFailuresClient.Unwrapped(client);

        Assert.Same(client, unwrapped);
        Assert.Same(failure, explain(failure));
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("delete")]
    public async Task Bulk_GrpcOnlyAndNothingListens_EachLineNamesTheEndpoint(string verb)
    {
        int grpcPort = ClosedPort();

        CliRun run = await CliRun.RunAsync(
            [verb, "operations/a", "operations/b", "--no-auth", "--transport", "grpc", "--endpoint", $"http://127.0.0.1:{grpcPort}", "--timeout", "20"],
            ExplainedFailuresClient.ForOptions, string.Empty, null, errorIsTerminal: false, CancellationToken.None);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, run.OutLines.Length);
        Assert.All(run.OutLines, line => Assert.Contains($"UNAVAILABLE: The gRPC endpoint http://127.0.0.1:{grpcPort} could not be reached: Connection refused", line));
        Assert.DoesNotContain("Exception", run.Out + run.Error);
    }

    [Fact]
    public async Task Cancel_AutoAndNeitherEndpointListens_EachLineNamesBothEndpoints()
    {
        int grpcPort = ClosedPort();
        int restPort = ClosedPort();

        CliRun run = await CliRun.RunAsync(
            ["cancel", "operations/a", "operations/b", "--no-auth", "--endpoint", $"http://127.0.0.1:{grpcPort}", "--rest-endpoint", $"http://127.0.0.1:{restPort}", "--timeout", "20"],
            ExplainedFailuresClient.ForOptions, string.Empty, null, errorIsTerminal: false, CancellationToken.None);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, run.OutLines.Length);
        Assert.All(run.OutLines, line => Assert.Contains($"REST http://127.0.0.1:{restPort}: Connection refused", line));
        Assert.DoesNotContain("Exception", run.Out + run.Error);
    }

    [Fact]
    public async Task CancelConfirm_GrpcOnlyAndNothingListens_EachLineNamesTheEndpoint()
    {
        int grpcPort = ClosedPort();

        CliRun run = await CliRun.RunAsync(
            ["cancel", "--confirm", "operations/a", "operations/b", "--no-auth", "--transport", "grpc", "--endpoint", $"http://127.0.0.1:{grpcPort}", "--timeout", "20"],
            ExplainedFailuresClient.ForOptions, string.Empty, null, errorIsTerminal: false, CancellationToken.None);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, run.OutLines.Length);
        Assert.All(run.OutLines, line => Assert.Contains($"UNAVAILABLE: The gRPC endpoint http://127.0.0.1:{grpcPort} could not be reached: Connection refused", line));
        Assert.DoesNotContain("Exception", run.Out + run.Error);
    }

    /// <summary>The line <see cref="ResultWriter.WriteSuccess"/> writes, and the one <see cref="ResultWriter.WriteOutcome"/> writes for the same success.</summary>
    private static (string Success, string Outcome) BothWays(OutputFormat format, string name, VaultCallInfo call)
    {
        var success = new StringWriter();
        new ResultWriter(success, format, SecretRedactor.None).WriteSuccess(name, call, "cancelled");
        var outcome = new StringWriter();
        new ResultWriter(outcome, format, SecretRedactor.None).WriteOutcome(CallOutcome.Success(name, call), "cancelled");
        return (success.ToString(), outcome.ToString());
    }

    /// <summary>A loopback port that was just free: bound, then released, so a connection is refused.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
