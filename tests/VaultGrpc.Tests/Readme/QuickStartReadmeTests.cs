using VaultGrpc.LongRunning;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Readme;

/// <summary>README's quick start, run against the fake; <see cref="ReadmeSyncTests"/> keeps the two identical.</summary>
public sealed class QuickStartReadmeTests
{
    [Fact]
    public async Task QuickStart_AgainstFake_RunsAndPrints()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync();
        fake.Store.AddRunning("operations/export-1");
        fake.Store.AddRunning("operations/export-2");
        fake.Store.Complete("operations/export-2");
        VaultOperationsClientOptions options = fake.CreateClientOptions();
        using var console = new StringWriter();
        TextWriter original = Console.Out;
        Console.SetOut(console);
        try
        {
            // README:quick-start begin
            await using VaultOperationsClient client = VaultOperationsClient.Create(options);

            // gRPC first, REST when gRPC cannot serve; the result says which served, and why.
            VaultCallInfo cancelled = await client.CancelAsync("operations/export-1");
            Console.WriteLine($"cancelled via {cancelled.Transport} (fallback: {cancelled.Fallback})");

            // A 5-second budget for this call, retries included.
            VaultResponse<Operation> latest = await client.GetAsync("operations/export-1", timeout: TimeSpan.FromSeconds(5));
            Console.WriteLine($"{latest.Value.Name}: done={latest.Value.Done}, error={latest.Value.Error?.Code}");

            // Every operation still running, following page tokens.
            await foreach (Operation running in client.ListAsync(filter: "done=false"))
            {
                Console.WriteLine($"running: {running.Name}");
            }

            // Wait up to a minute for an operation to finish.
            VaultResponse<Operation> finished = await client.WaitAsync("operations/export-2", TimeSpan.FromMinutes(1));
            Console.WriteLine($"{finished.Value.Name}: done={finished.Value.Done}");
            // README:quick-start end
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Equal(
            [
                "cancelled via Grpc (fallback: None)",
                "operations/export-1: done=True, error=1",
                "operations/export-2: done=True",
            ],
            console.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void ProductionOptions_AsInReadme_AreValid()
    {
        // README:production begin
        var options = new VaultOperationsClientOptions
        {
            // The defaults: https://vault.googleapis.com, gRPC first, Application Default
            // Credentials scoped to https://www.googleapis.com/auth/ediscovery (resolved on first use).
            Credentials = VaultCredentials.ApplicationDefault(),
            StickyRestWindow = TimeSpan.FromMinutes(5),
        };
        // README:production end

        Assert.Empty(options.GetValidationErrors());
    }
}
