using System.Text.Json;
using VaultGrpc.Cli.Clients;
using VaultGrpc.Testing;
using VaultGrpc.Tests.Cli;
using VaultGrpc.Tests.ClientBehaviour;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Reliability;

/// <summary>
/// vault-ops delete against a gRPC gateway that answers 503 after forwarding the request, with a
/// working REST side: each name is reported distinctly as "may have been executed", never sent to REST.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class CliDeleteOutcomeUnknownTests
{
    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Delete_GatewayAnswers503AfterForwarding_EachNameReportedOutcomeUnknown(string output)
    {
        await using FakeOperationsServer fake = await FakeClients.StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning("operations/a");
        await using ScriptedH2Peer grpc = ScriptedH2Peer.Always(H2Action.GatewayResetBeforeHeaders);

        CliRun run = await CliRun.RunAsync(
            ["delete", "operations/a", "--output", output, "--endpoint", grpc.Address.ToString(), "--rest-endpoint", fake.RestAddress.ToString(), "--no-auth"],
            ExplainedFailuresClient.ForOptions,
            string.Empty,
            null,
            errorIsTerminal: false,
            CancellationToken.None);

        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.OutLines);
        if (output == "json")
        {
            JsonElement json = JsonDocument.Parse(line).RootElement;
            Assert.Equal(("UNAVAILABLE", true), (json.GetProperty("code").GetString(), json.GetProperty("outcome_unknown").GetBoolean()));
        }
        else
        {
            Assert.StartsWith("UNKNOWN operations/a: UNAVAILABLE: may have been executed, not sent again", line, StringComparison.Ordinal);
        }

        Assert.Equal(1, grpc.Log.CompleteRequestsFor(PeerClient.DeletePath));
        Assert.Equal(0, fake.Journal.Count(Transport.Rest, OperationsMethod.Delete));
    }
}
