// README:opentelemetry usings begin
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using VaultGrpc;
// README:opentelemetry usings end
using VaultGrpc.Testing; // the test's own: the fake that stands in for Vault
using VaultGrpc.Tests.Readme;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

// Outside the VaultGrpc namespaces, as a user's code is, so the usings above are all the sample has.
namespace ReadmeSamples;

/// <summary>
/// The README's OpenTelemetry sample: the SDK with the console exporter, wired to the client's
/// ActivitySource and Meter, run against the fake; the exported text is captured and read back.
/// ReadmeSyncTests compares the region with README.md.
/// </summary>
[Collection(ConsoleOutputCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class OpenTelemetryReadmeTests
{
    [Fact]
    public async Task ReadmeSample_SdkWithConsoleExporter_ExportsTheGrpcSpanAndRpcDuration()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning("operations/export-1");
        VaultOperationsClientOptions options = fake.CreateClientOptions();
        using var console = new StringWriter();
        TextWriter original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(console));
        try
        {
            // README:opentelemetry begin
            // The client's spans come from the ActivitySource "VaultGrpc", its instruments from the Meter "VaultGrpc".
            using TracerProvider tracing = Sdk.CreateTracerProviderBuilder()
                .AddSource("VaultGrpc")
                .AddConsoleExporter()
                .Build();
            using MeterProvider metrics = Sdk.CreateMeterProviderBuilder()
                .AddMeter("VaultGrpc")
                .AddConsoleExporter()
                .Build();

            var services = new ServiceCollection();
            services.AddMetrics(); // the client's Meter comes from the container's IMeterFactory (hosts add it)
            services.AddVaultOperationsClient(options); // or from a configuration section, as above
            await using ServiceProvider provider = services.BuildServiceProvider();

            VaultOperationsClient client = provider.GetRequiredService<VaultOperationsClient>();
            await client.CancelAsync("operations/export-1");
            // README:opentelemetry end

            // Exported now, while the container's meter still lives (the sample exports when disposed).
            Assert.True(tracing.ForceFlush((int)Bound.TotalMilliseconds));
            Assert.True(metrics.ForceFlush((int)Bound.TotalMilliseconds));
        }
        finally
        {
            Console.SetOut(original);
        }

        string exported = console.ToString();
        Assert.Contains("Activity.DisplayName:        google.longrunning.Operations/CancelOperation", exported, StringComparison.Ordinal);
        Assert.Contains("rpc.system.name: grpc", exported, StringComparison.Ordinal);
        Assert.Contains($"server.port: {fake.GrpcAddress.Port}", exported, StringComparison.Ordinal);
        Assert.Contains("Metric Name: rpc.client.call.duration", exported, StringComparison.Ordinal);
    }
}
