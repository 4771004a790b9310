using BenchmarkDotNet.Attributes;
using VaultGrpc.Testing;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// What Auto's fallback machinery costs when nothing fails: CancelAsync through the facade against an
/// in-memory fake that serves gRPC, GrpcOnly against Auto. Auto should cost about the same (Ratio ~1.0).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EndToEndJobConfig))]
public class TransportOverheadBenchmarks
{
    private FakeCancelLoop _grpcOnly = null!;
    private FakeCancelLoop _auto = null!;

    [GlobalSetup(Target = nameof(GrpcOnly_Cancel))]
    public async Task SetUpGrpcOnly()
    {
        _grpcOnly = await FakeCancelLoop.StartAsync(GrpcServingMode.Serve, o => o.TransportMode = TransportMode.GrpcOnly);
        await _grpcOnly.ExpectAsync(Transport.Grpc, fellBack: false);
    }

    [GlobalSetup(Target = nameof(Auto_Cancel))]
    public async Task SetUpAuto()
    {
        _auto = await FakeCancelLoop.StartAsync(GrpcServingMode.Serve, o => o.TransportMode = TransportMode.Auto);
        await _auto.ExpectAsync(Transport.Grpc, fellBack: false);
    }

    [GlobalCleanup]
    public async Task CleanUp()
    {
        foreach (FakeCancelLoop? loop in new[] { _grpcOnly, _auto })
        {
            if (loop is not null)
            {
                await loop.DisposeAsync();
            }
        }
    }

    [Benchmark(Baseline = true)]
    public Task<VaultCallInfo> GrpcOnly_Cancel() => _grpcOnly.CancelAsync();

    [Benchmark]
    public Task<VaultCallInfo> Auto_Cancel() => _auto.CancelAsync();
}
