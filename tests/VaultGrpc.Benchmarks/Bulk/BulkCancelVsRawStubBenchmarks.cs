using BenchmarkDotNet.Attributes;
using Grpc.Net.Client;
using VaultGrpc.Benchmarks.Remote;
using VaultGrpc.Cli;
using VaultGrpc.Cli.Clients;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Benchmarks.Bulk;

/// <summary>
/// Cancelling 10,000 operations of the fake in another process with at most <see cref="Concurrency"/>
/// calls in flight: <c>vault-ops cancel --from-file FILE --concurrency N</c>, run in process through
/// its entry point as the CLI tests run it (names read and validated, a client made, results written
/// to a null standard output), against the baseline, a loop of the generated stub on a plain
/// GrpcChannel with the same concurrency and the facade's two headers. Each side makes its own channel
/// per run. The first run cancels the operations; later runs cancel done operations (a no-op answered
/// like a cancel), the same for both sides. Issue 9's target: CLI ≥ 0.9 × baseline in throughput
/// (Ratio ≤ 1.11).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BulkJobConfig))]
public class BulkCancelVsRawStubBenchmarks
{
    private const int NameCount = 10_000;
    private const string Prefix = "operations/bulk-";

    private RemoteFake? _fake;
    private string[] _names = [];
    private string _nameFile = "";

    [Params(16, 64)]
    public int Concurrency { get; set; }

    private RemoteFake Fake => _fake ?? throw new InvalidOperationException("No fake: the case's setup did not run.");

    [GlobalSetup(Target = nameof(RawStubLoop))]
    public async Task SetUpRawStubLoop()
    {
        await SetUpAsync(RawStubLoop);
        Fake.ExpectLastCall("last Grpc Cancel 200 ", "api-client=" + SameHeaders.ApiClient);
    }

    [GlobalSetup(Target = nameof(FacadeLoop))]
    public async Task SetUpFacadeLoop()
    {
        await SetUpAsync(FacadeLoop);
        Fake.ExpectLastCall("last Grpc Cancel 200 ", "api-client=" + SameHeaders.ApiClient);
    }

    [GlobalSetup(Target = nameof(VaultOpsCancel))]
    public async Task SetUpVaultOpsCancel()
    {
        await SetUpAsync(VaultOpsCancel);
        Fake.ExpectLastCall("last Grpc Cancel 200 ", "api-client=" + SameHeaders.ApiClient);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _fake?.Dispose();
        _fake = null;
        if (_nameFile.Length > 0)
        {
            File.Delete(_nameFile);
            _nameFile = "";
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = NameCount)]
    public async Task RawStubLoop()
    {
        using GrpcChannel channel = GrpcChannel.ForAddress(Fake.GrpcAddress);
        var stub = new Operations.OperationsClient(channel);
        int next = -1;

        async Task WorkAsync()
        {
            await Task.Yield();
            for (int index = Interlocked.Increment(ref next); index < _names.Length; index = Interlocked.Increment(ref next))
            {
                string name = _names[index];
                await stub.CancelOperationAsync(new CancelOperationRequest { Name = name }, SameHeaders.For(name));
            }
        }

        var workers = new Task[Concurrency];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = WorkAsync();
        }

        await Task.WhenAll(workers);
    }

    /// <summary>
    /// The facade as vault-ops configures it (Auto, both endpoints, no credentials, its api-client
    /// suffix) in the raw loop's workers: what separates the CLI's own per-name work from the facade's.
    /// </summary>
    [Benchmark(OperationsPerInvoke = NameCount)]
    public async Task FacadeLoop()
    {
        using VaultOperationsClient client = VaultOperationsClient.Create(new VaultOperationsClientOptions
        {
            Endpoint = Fake.GrpcAddress,
            RestEndpoint = Fake.RestAddress,
            TransportMode = TransportMode.Auto,
            Credentials = VaultCredentials.None,
            ApiClientSuffix = "vault-ops",
        });
        int next = -1;

        async Task WorkAsync()
        {
            await Task.Yield();
            for (int index = Interlocked.Increment(ref next); index < _names.Length; index = Interlocked.Increment(ref next))
            {
                await client.CancelAsync(_names[index]);
            }
        }

        var workers = new Task[Concurrency];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = WorkAsync();
        }

        await Task.WhenAll(workers);
    }

    [Benchmark(OperationsPerInvoke = NameCount)]
    public async Task VaultOpsCancel()
    {
        var error = new StringWriter();
        var host = new CliHost(Stream.Null, TextWriter.Null, error, OutIsTerminal: false, ErrorIsTerminal: false, _ => null, ExplainedFailuresClient.ForOptions);
        string[] args =
        [
            "cancel", "--from-file", _nameFile, "--concurrency", Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--endpoint", Fake.GrpcAddress.ToString(), "--rest-endpoint", Fake.RestAddress.ToString(), "--no-auth",
        ];
        int exitCode = await VaultOpsApp.RunAsync(args, host);
        if (exitCode != 0 || !error.ToString().Contains($"cancel: {NameCount} cancelled, 0 failed", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"vault-ops cancel exited {exitCode}: {error}");
        }
    }

    private async Task SetUpAsync(Func<Task> run)
    {
        try
        {
            _fake = RemoteFake.Start();
            _names = [.. Fake.AddRunning(NameCount, Prefix)];
            _nameFile = Path.Combine(Path.GetTempPath(), $"vault-bench-names-{Environment.ProcessId}.txt");
            await File.WriteAllLinesAsync(_nameFile, _names);
            await run();
        }
        catch
        {
            CleanUp();
            throw;
        }
    }
}
