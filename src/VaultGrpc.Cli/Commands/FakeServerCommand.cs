using System.CommandLine;
using VaultGrpc.Cli.Parsing;
using VaultGrpc.Testing;

namespace VaultGrpc.Cli.Commands;

/// <summary>
/// <c>fake-server</c>: the in-process fake as a standalone process on 127.0.0.1, for tests written in
/// other languages. Prints its addresses, serves until Ctrl-C.
/// </summary>
internal static class FakeServerCommand
{
    /// <summary>The --grpc-mode values and the fake's modes they select.</summary>
    internal static readonly IReadOnlyDictionary<string, GrpcServingMode> Modes = new Dictionary<string, GrpcServingMode>(StringComparer.Ordinal)
    {
        ["serve"] = GrpcServingMode.Serve,
        ["unimplemented"] = GrpcServingMode.Unimplemented,
        ["off"] = GrpcServingMode.NotListening,
        ["http1"] = GrpcServingMode.Http1Only,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(CliHost host)
    {
        var grpcPort = NumberOption.WholeNumber("--grpc-port", "Port of the gRPC (h2c) listener; 0 for any free port", 0);
        var restPort = NumberOption.WholeNumber("--rest-port", "Port of the REST (HTTP/1.1) listener; 0 for any free port", 0);
        var grpcMode = new Option<string>("--grpc-mode")
        {
            Description = "serve; unimplemented (every gRPC call UNIMPLEMENTED); off (connection refused); http1 (HTTP/1.1 only on the gRPC port)",
            DefaultValueFactory = _ => "serve",
        };
        grpcMode.AcceptOnlyFromAmong([.. Modes.Keys]);
        var seedOps = NumberOption.WholeNumber("--seed-ops", "Running operations to add at start, operations/seed-00000 …", 0);
        var requireToken = new Option<string?>("--require-token")
        {
            Description = "Answer UNAUTHENTICATED unless calls carry Authorization: Bearer T",
            HelpName = "T",
        };
        var command = new Command("fake-server", "Run the fake Operations server on 127.0.0.1 (gRPC and REST) until Ctrl-C")
        {
            grpcPort, restPort, grpcMode, seedOps, requireToken,
        };
        command.SetGuardedAction(host, async (parse, cancellationToken) =>
        {
            var options = new FakeServerOptions
            {
                Hosting = FakeHosting.Sockets,
                GrpcMode = Modes[parse.GetValue(grpcMode)!],
                GrpcPort = parse.GetValue(grpcPort),
                RestPort = parse.GetValue(restPort),
                SeedRunningOperations = parse.GetValue(seedOps),
                RequiredBearerToken = parse.GetValue(requireToken),
            };

            FakeOperationsServer fake;
            try
            {
                fake = await FakeOperationsServer.StartAsync(options, cancellationToken);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            catch (IOException e)
            {
                // Kestrel reports a port in use as an IOException.
                throw new UsageException($"Cannot listen: {e.Message}");
            }

            await using (fake)
            {
                await host.Out.WriteLineAsync($"grpc {fake.GrpcAddress} mode={parse.GetValue(grpcMode)}");
                await host.Out.WriteLineAsync($"rest {fake.RestAddress}");
                if (fake.RestHttp2Address is { } h2c)
                {
                    await host.Out.WriteLineAsync($"rest-h2c {h2c}");
                }

                await host.Out.WriteLineAsync($"seeded {options.SeedRunningOperations} running operations");
                await host.Out.WriteLineAsync("ready; Ctrl-C to stop");
                await host.Out.FlushAsync(CancellationToken.None);
                await fake.RunUntilCancelledAsync(cancellationToken);
                await host.Error.WriteLineAsync($"fake-server: stopping after {fake.Journal.Entries.Count} requests.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
