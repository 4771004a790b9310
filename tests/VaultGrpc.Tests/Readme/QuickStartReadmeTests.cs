// README:quick-start usings begin
using VaultGrpc;
using VaultGrpc.LongRunning;
// README:quick-start usings end
using VaultGrpc.Testing; // the test's own: the fake that stands in for Vault

// Outside the VaultGrpc namespaces, as a user's code is, so the usings above are all the sample has.
namespace ReadmeSamples;

/// <summary>README's quick start, run against the fake; <see cref="VaultGrpc.Tests.Readme.ReadmeSyncTests"/> keeps the two identical.</summary>
[Collection(VaultGrpc.Tests.Readme.ConsoleOutputCollection.Name)]
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
}
