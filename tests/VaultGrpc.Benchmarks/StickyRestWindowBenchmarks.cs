using BenchmarkDotNet.Attributes;
using VaultGrpc.Testing;

namespace VaultGrpc.Benchmarks;

/// <summary>
/// CancelAsync through the facade when the fake's gRPC side answers UNIMPLEMENTED. RestOnly is the floor.
/// Auto with the default sticky window has learnt from its first call (made in setup) and goes straight
/// to REST: Ratio ~1.0, no second round trip. Auto with a zero window probes gRPC before every REST call:
/// what the window saves.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EndToEndJobConfig))]
public class StickyRestWindowBenchmarks
{
    private FakeCancelLoop _restOnly = null!;
    private FakeCancelLoop _autoSticky = null!;
    private FakeCancelLoop _autoProbing = null!;

    [GlobalSetup(Target = nameof(RestOnly_Cancel))]
    public async Task SetUpRestOnly()
    {
        _restOnly = await FakeCancelLoop.StartAsync(GrpcServingMode.Unimplemented, o => o.TransportMode = TransportMode.RestOnly);
        await _restOnly.ExpectAsync(Transport.Rest, fellBack: false);
    }

    [GlobalSetup(Target = nameof(Auto_StickyWindow_Cancel))]
    public async Task SetUpAutoSticky()
    {
        _autoSticky = await FakeCancelLoop.StartAsync(GrpcServingMode.Unimplemented, o => o.TransportMode = TransportMode.Auto);

        // The first call learns that gRPC is not served; the next goes straight to REST.
        await _autoSticky.ExpectAsync(Transport.Rest, fellBack: true);
        int grpcCalls = _autoSticky.Fake.Journal.Count(Transport.Grpc);
        await _autoSticky.CancelAsync();
        if (_autoSticky.Fake.Journal.Count(Transport.Grpc) != grpcCalls)
        {
            throw new InvalidOperationException("Auto with a sticky window still tried gRPC on its second call.");
        }
    }

    [GlobalSetup(Target = nameof(Auto_NoStickyWindow_Cancel))]
    public async Task SetUpAutoProbing()
    {
        _autoProbing = await FakeCancelLoop.StartAsync(GrpcServingMode.Unimplemented, o =>
        {
            o.TransportMode = TransportMode.Auto;
            o.StickyRestWindow = TimeSpan.Zero;
        });
        await _autoProbing.ExpectAsync(Transport.Rest, fellBack: true);
        await _autoProbing.ExpectAsync(Transport.Rest, fellBack: true);
    }

    [GlobalCleanup]
    public async Task CleanUp()
    {
        foreach (FakeCancelLoop? loop in new[] { _restOnly, _autoSticky, _autoProbing })
        {
            if (loop is not null)
            {
                await loop.DisposeAsync();
            }
        }
    }

    [Benchmark(Baseline = true)]
    public Task<VaultCallInfo> RestOnly_Cancel() => _restOnly.CancelAsync();

    [Benchmark]
    public Task<VaultCallInfo> Auto_StickyWindow_Cancel() => _autoSticky.CancelAsync();

    [Benchmark]
    public Task<VaultCallInfo> Auto_NoStickyWindow_Cancel() => _autoProbing.CancelAsync();
}
