using VaultGrpc.Testing;

namespace VaultGrpc.Benchmarks.Remote;

/// <summary>
/// The server side of <see cref="RemoteFake"/>: this executable started with <see cref="Verb"/> runs the
/// fake over Kestrel sockets on 127.0.0.1, so the benchmark process measures only the client's time and
/// allocations. Talks over its standard streams: prints <c>grpc URL</c>, <c>rest URL</c>, <c>ready</c>;
/// answers a <c>last</c> line with the latest journal entry (to check a case's setup) and a
/// <c>grpc-mode</c> line by switching how gRPC answers; stops when its
/// standard input closes, so it never outlives the benchmark process.
/// </summary>
internal static class RemoteFakeHost
{
    public const string Verb = "remote-fake";

    /// <summary>A line <c>grpc-mode Unimplemented</c> switches how gRPC answers (<see cref="GrpcServingMode"/>); answered <c>mode …</c>.</summary>
    public const string GrpcModeCommand = "grpc-mode ";

    /// <summary>A line <c>add-running 10000 operations/bulk-</c> adds that many running operations (<see cref="FakeOperationStore.AddRunning(int, string)"/>); answered <c>added …</c>, one name a line before it.</summary>
    public const string AddRunningCommand = "add-running ";

    // The journal keeps every request until its capacity, then drops the oldest, one at a time. The
    // default (100,000 entries) would keep the server's heap growing for the first 100,000 calls of
    // every case; a few hundred keeps its cost flat and small from the first call.
    private const int JournalCapacity = 256;

    public static async Task<int> RunAsync()
    {
        var options = new FakeServerOptions
        {
            Hosting = FakeHosting.Sockets,
            RestHttp2Port = -1,
            JournalCapacity = JournalCapacity,
        };
        foreach (Google.Protobuf.Reflection.MessageDescriptor type in BenchOperations.ExportTypes)
        {
            options.AnyTypes.Add(type);
        }

        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(options);
        fake.Store.AddRunning(BenchOperations.CancelName);
        fake.Store.Add(BenchOperations.CreateExportOperation());

        Console.WriteLine($"grpc {fake.GrpcAddress}");
        Console.WriteLine($"rest {fake.RestAddress}");
        Console.WriteLine("ready");
        Console.Out.Flush();

        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "last")
            {
                JournalEntry? last = fake.Journal.Last;
                Console.WriteLine(last is null
                    ? "last none"
                    : $"last {last.Transport} {last.Method} {last.HttpStatus} api-client={last.ApiClient ?? "-"} request-params={last.RequestParams ?? "-"}");
                Console.Out.Flush();
            }
            else if (line.StartsWith(AddRunningCommand, StringComparison.Ordinal))
            {
                string[] parts = line[AddRunningCommand.Length..].Split(' ', 2);
                IReadOnlyList<string> names = fake.Store.AddRunning(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1]);
                foreach (string name in names)
                {
                    Console.WriteLine($"name {name}");
                }

                Console.WriteLine($"added {names.Count}");
                Console.Out.Flush();
            }
            else if (line.StartsWith(GrpcModeCommand, StringComparison.Ordinal))
            {
                fake.GrpcMode = Enum.Parse<GrpcServingMode>(line[GrpcModeCommand.Length..]);
                Console.WriteLine($"mode {fake.GrpcMode}");
                Console.Out.Flush();
            }
        }

        return 0;
    }
}
