using System.Globalization;
using Grpc.Core;
using VaultGrpc.Cli.Bulk;
using VaultGrpc.Cli.Clients;
using VaultGrpc.Cli.Output;
using VaultGrpc.Testing;
using VaultGrpc.Vault.Count.V1;

namespace VaultGrpc.Cli.Demo;

/// <summary>
/// The steps of <c>vault-ops demo</c>, against a fake started in-process on 127.0.0.1: a cancel over
/// gRPC, the same call served by REST once gRPC answers UNIMPLEMENTED, a NOT_FOUND, bulk cancels
/// with their throughput, and a count operation cancelled and confirmed over each transport; after
/// each step, what the fake's journal saw.
/// </summary>
internal sealed class DemoScript(TextWriter output, int bulkCount)
{
    /// <summary>Operations cancelled in each bulk step by default.</summary>
    public const int DefaultBulkCount = 2000;

    private const int BulkConcurrency = 32;

    /// <summary>Runs every step; returns the exit code (0 when each step showed what it should).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = FakeHosting.Sockets, cancellationToken);
        fake.Store.AddRunning(3, "operations/demo-");
        IReadOnlyList<string> grpcBulk = fake.Store.AddRunning(bulkCount, "operations/bulk-grpc-");
        IReadOnlyList<string> restBulk = fake.Store.AddRunning(bulkCount, "operations/bulk-rest-");
        await Say($"Started a fake Vault Operations server: gRPC {fake.GrpcAddress}, REST {fake.RestAddress}; seeded {fake.Store.Count} running operations.");
        bool allAsExpected = true;

        await using (VaultOperationsClient client = NewClient(fake))
        {
            await Step(1, "Cancel operations/demo-00000 over gRPC.");
            VaultCallInfo call = await client.CancelAsync("operations/demo-00000", null, cancellationToken);
            allAsExpected &= call.Transport == Transport.Grpc;
            await Say($"   served {ResultWriter.ServedBy(call)}; the operation is now: {OperationFormatter.ToText(fake.Store.Find("operations/demo-00000")!)}");
            await ShowJournal(fake);
        }

        fake.GrpcMode = GrpcServingMode.Unimplemented;
        await using (VaultOperationsClient client = NewClient(fake))
        {
            await Step(2, "The gRPC side now answers UNIMPLEMENTED. Cancel operations/demo-00001 with a fresh client.");
            VaultCallInfo call = await client.CancelAsync("operations/demo-00001", null, cancellationToken);
            allAsExpected &= call is { Transport: Transport.Rest, Fallback: FallbackReason.GrpcUnimplemented };
            await Say($"   served {ResultWriter.ServedBy(call)}: one gRPC attempt, then the transcoded REST route.");
            await ShowJournal(fake);

            await Step(3, "Get operations/does-not-exist with the same client (now straight to REST): NOT_FOUND is the service's own answer, never a reason to fall back.");
            try
            {
                await client.GetAsync("operations/does-not-exist", null, cancellationToken);
                allAsExpected = false;
                await Say("   unexpectedly found.");
            }
            catch (RpcException e)
            {
                allAsExpected &= e.StatusCode == StatusCode.NotFound;
                await Say($"   RpcException {StatusCodeNames.Of(e.StatusCode)}: {e.Status.Detail}");
            }

            await ShowJournal(fake);
        }

        fake.GrpcMode = GrpcServingMode.Serve;
        await using (VaultOperationsClient client = NewClient(fake))
        {
            await Step(4, $"Bulk cancel of {bulkCount} operations over gRPC, {BulkConcurrency} in flight.");
            allAsExpected &= await BulkCancel(fake, client, grpcBulk, cancellationToken);
        }

        fake.GrpcMode = GrpcServingMode.Unimplemented;
        await using (VaultOperationsClient client = NewClient(fake))
        {
            await Step(5, $"Bulk cancel of {bulkCount} more with gRPC UNIMPLEMENTED: after the first failures the client goes straight to REST (sticky fallback).");
            allAsExpected &= await BulkCancel(fake, client, restBulk, cancellationToken);
        }

        fake.GrpcMode = GrpcServingMode.Serve;
        await using (VaultOperationsClient client = NewClient(fake))
        {
            await Step(6, "A count operation in progress: read its typed metadata, cancel it, and confirm it ended CANCELLED (cancel is best effort) — over gRPC.");
            allAsExpected &= await CancelCountAsync(fake, client, "operations/count-grpc", cancellationToken);
        }

        fake.GrpcMode = GrpcServingMode.Unimplemented;
        await using (VaultOperationsClient client = NewClient(fake))
        {
            await Step(7, "The same with gRPC UNIMPLEMENTED: the cancel and the confirming polls go through the REST fallback.");
            allAsExpected &= await CancelCountAsync(fake, client, "operations/count-rest", cancellationToken);
        }

        await Say(string.Empty);
        await Say(allAsExpected ? "Done: every step behaved as shown." : "Done, but some step did not behave as expected (see above).");
        return allAsExpected ? ExitCodes.Success : ExitCodes.CallsFailed;
    }

    private static VaultOperationsClient NewClient(FakeOperationsServer fake)
    {
        VaultOperationsClientOptions options = fake.CreateClientOptions();
        options.Credentials = VaultCredentials.None;
        return ExplainedFailuresClient.ForOptions(options);
    }

    private async Task<bool> BulkCancel(FakeOperationsServer fake, VaultOperationsClient client, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        fake.Journal.Clear();
        BulkSummary summary = await BulkRunner.RunAsync(
            names,
            name => client.CancelAsync(name, null, CancellationToken.None),
            BulkConcurrency,
            static _ => { },
            cancellationToken);
        int stillRunning = names.Count(n => fake.Store.Find(n) is { Done: false });
        await Say($"   {summary.Succeeded} cancelled, {summary.Failed} failed in {summary.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s: " +
                  $"{summary.CallsPerSecond.ToString("F0", CultureInfo.InvariantCulture)} ops/s; {stillRunning} still running in the store.");
        await Say($"   journal: {fake.Journal.Count(Transport.Grpc, OperationsMethod.Cancel)} gRPC CancelOperation requests, " +
                  $"{fake.Journal.Count(Transport.Rest, OperationsMethod.Cancel)} REST POST …:cancel requests.");
        return summary.Failed == 0 && stillRunning == 0;
    }

    // A Vault count (matters.count) that would run for minutes; the fake honours a cancel half a second after it lands.
    private async Task<bool> CancelCountAsync(FakeOperationsServer fake, VaultOperationsClient client, string name, CancellationToken cancellationToken)
    {
        fake.Journal.Clear();
        fake.Store.AddCountOperation(name, "matter-demo", TimeSpan.FromMinutes(10), new CountArtifactsResponse { TotalCount = 0 });
        fake.Store.ScriptCancel(name, FakeCancelBehaviour.HonourAfter(TimeSpan.FromMilliseconds(500)));
        var count = await VaultOperation<CountArtifactsResponse, CountArtifactsMetadata>.FromName(client, name).PollOnceAsync(cancellationToken);
        await Say($"   {name}: running, counting matter {count.Metadata?.MatterId} since {count.Metadata?.StartTime?.ToDateTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC.");
        VaultCancelResult cancel = await count.CancelAndConfirmAsync(TimeSpan.FromSeconds(10), cancellationToken);
        string servedBy = cancel.Call is { } call ? ResultWriter.ServedBy(call) : "-";
        await Say($"   cancel sent ({servedBy}); confirmed outcome: {cancel.Outcome}, error code {cancel.Operation?.Error?.Code}.");
        await ShowJournal(fake);
        return cancel.Outcome == VaultCancelOutcome.Cancelled;
    }

    private async Task ShowJournal(FakeOperationsServer fake)
    {
        await Say("   the fake's journal:");
        foreach (JournalEntry entry in fake.Journal.Entries)
        {
            string outcome = entry.Status is { } status ? StatusCodeNames.Of(status) : "-";
            await Say($"     {FallbackNames.Of(entry.Transport),-4} {entry.HttpMethod} {entry.RawPath} ({entry.Protocol}) -> HTTP {entry.HttpStatus}, {outcome}");
        }

        fake.Journal.Clear();
    }

    private Task Step(int number, string text) => Say($"{Environment.NewLine}{number}. {text}");

    // Lines quote the fake's answers and journal: escaped like every other line vault-ops prints.
    private async Task Say(string line)
    {
        foreach (string part in line.Split(Environment.NewLine))
        {
            await output.WriteLineAsync(TerminalText.Escape(part));
        }

        await output.FlushAsync();
    }
}
