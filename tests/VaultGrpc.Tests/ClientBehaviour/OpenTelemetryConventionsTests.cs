using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using VaultGrpc.Testing;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

namespace VaultGrpc.Tests.ClientBehaviour;

/// <summary>
/// The client's spans and its <c>rpc.client.call.duration</c> as the OpenTelemetry RPC conventions
/// (release candidate) describe them: a call gRPC answered is a gRPC call, a call REST answered is an
/// HTTP client call. The client comes from a container with <c>AddMetrics()</c>, so its meter is the
/// container's and the collectors see this test's measurements alone; spans are this test's trace's.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class OpenTelemetryConventionsTests
{
    private const string CancelMethod = "google.longrunning.Operations/CancelOperation";
    private const string GetMethod = "google.longrunning.Operations/GetOperation";

    [Fact]
    public async Task CancelAsync_GrpcServes_GrpcSpanAndRpcDurationOfTheGrpcEndpoint()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        fake.Store.AddRunning("operations/a");
        await using var bed = new ContainerClient(fake);
        using var recorder = new TraceRecorder(nameof(CancelAsync_GrpcServes_GrpcSpanAndRpcDurationOfTheGrpcEndpoint));

        VaultCallInfo info = await bed.Client.CancelAsync("operations/a").WaitAsync(Bound);

        Assert.Equal(Transport.Grpc, info.Transport);
        Activity span = Assert.Single(recorder.Activities);
        Assert.Equal((CancelMethod, ActivityKind.Client, ActivityStatusCode.Unset), (span.DisplayName, span.Kind, span.Status));
        AssertTags(
            new()
            {
                ["rpc.system.name"] = "grpc",
                ["rpc.method"] = CancelMethod,
                ["rpc.response.status_code"] = "OK",
                ["server.address"] = "127.0.0.1",
                ["server.port"] = fake.GrpcAddress.Port,
                ["vaultgrpc.transport"] = "grpc",
                ["vaultgrpc.fallback"] = "None",
                ["vaultgrpc.attempts"] = 1,
            },
            span.TagObjects);
        CollectedMeasurement<double> duration = Assert.Single(bed.RpcDurations.GetMeasurementSnapshot());
        AssertTags(
            new()
            {
                ["rpc.system.name"] = "grpc",
                ["rpc.method"] = CancelMethod,
                ["rpc.response.status_code"] = "OK",
                ["server.address"] = "127.0.0.1",
                ["server.port"] = fake.GrpcAddress.Port,
            },
            duration.Tags);
        Assert.InRange(duration.Value, double.Epsilon, Bound.TotalSeconds);
    }

    [Fact]
    public async Task CancelAsync_RestAnswersAfterUnimplemented_HttpSpanOfTheRestEndpointAndNoRpcDuration()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets, o => o.GrpcMode = GrpcServingMode.Unimplemented);
        fake.Store.AddRunning("operations/a");
        await using var bed = new ContainerClient(fake);
        using var fallbacks = new MetricCollector<long>(bed.MeterFactory, "VaultGrpc", "vaultgrpc.client.fallbacks");
        using var calls = new MetricCollector<long>(bed.MeterFactory, "VaultGrpc", "vaultgrpc.client.calls");
        using var recorder = new TraceRecorder(nameof(CancelAsync_RestAnswersAfterUnimplemented_HttpSpanOfTheRestEndpointAndNoRpcDuration));

        VaultCallInfo info = await bed.Client.CancelAsync("operations/a").WaitAsync(Bound);

        Assert.Equal((Transport.Rest, FallbackReason.GrpcUnimplemented), (info.Transport, info.Fallback));
        Activity span = Assert.Single(recorder.Activities);
        Assert.Equal((CancelMethod, ActivityKind.Client, ActivityStatusCode.Unset), (span.DisplayName, span.Kind, span.Status));
        AssertTags(
            new()
            {
                ["rpc.method"] = CancelMethod,
                ["rpc.response.status_code"] = "OK",
                ["http.request.method"] = "POST",
                ["url.template"] = "/v1/{name=operations/**}:cancel",
                ["server.address"] = "127.0.0.1",
                ["server.port"] = fake.RestAddress.Port,
                ["vaultgrpc.transport"] = "rest",
                ["vaultgrpc.fallback"] = "GrpcUnimplemented",
                ["vaultgrpc.attempts"] = 1,
            },
            span.TagObjects);
        Assert.NotEqual(fake.GrpcAddress.Port, fake.RestAddress.Port);
        // Not an RPC of any rpc.system.name: the HTTP stack measures the REST request itself.
        Assert.Empty(bed.RpcDurations.GetMeasurementSnapshot());
        // Our own instruments are on the container's meter too, the invoker's fallback counter included.
        CollectedMeasurement<long> fallback = Assert.Single(fallbacks.GetMeasurementSnapshot());
        Assert.Equal((1L, "GrpcUnimplemented"), (fallback.Value, fallback.Tags["vaultgrpc.fallback"]));
        CollectedMeasurement<long> call = Assert.Single(calls.GetMeasurementSnapshot());
        AssertTags(
            new()
            {
                ["rpc.method"] = CancelMethod,
                ["vaultgrpc.transport"] = "rest",
                ["vaultgrpc.fallback"] = "GrpcUnimplemented",
                ["rpc.response.status_code"] = "OK",
            },
            call.Tags);
    }

    [Fact]
    public async Task GetAsync_NotFoundOverGrpc_ErrorSpanAndDurationWithErrorType()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets);
        await using var bed = new ContainerClient(fake);
        using var recorder = new TraceRecorder(nameof(GetAsync_NotFoundOverGrpc_ErrorSpanAndDurationWithErrorType));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => bed.Client.GetAsync("operations/missing").WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Activity span = Assert.Single(recorder.Activities);
        Assert.Equal((GetMethod, ActivityKind.Client, ActivityStatusCode.Error), (span.DisplayName, span.Kind, span.Status));
        AssertTags(
            new()
            {
                ["rpc.system.name"] = "grpc",
                ["rpc.method"] = GetMethod,
                ["rpc.response.status_code"] = "NOT_FOUND",
                ["error.type"] = "NOT_FOUND",
                ["server.address"] = "127.0.0.1",
                ["server.port"] = fake.GrpcAddress.Port,
                ["vaultgrpc.transport"] = "grpc",
                ["vaultgrpc.fallback"] = "None",
                ["vaultgrpc.attempts"] = 1,
            },
            span.TagObjects);
        CollectedMeasurement<double> duration = Assert.Single(bed.RpcDurations.GetMeasurementSnapshot());
        AssertTags(
            new()
            {
                ["rpc.system.name"] = "grpc",
                ["rpc.method"] = GetMethod,
                ["rpc.response.status_code"] = "NOT_FOUND",
                ["error.type"] = "NOT_FOUND",
                ["server.address"] = "127.0.0.1",
                ["server.port"] = fake.GrpcAddress.Port,
            },
            duration.Tags);
    }

    [Fact]
    public async Task GetAsync_NotFoundOverRest_ErrorHttpSpanWithErrorType()
    {
        await using FakeOperationsServer fake = await StartAsync(FakeHosting.Sockets, o => o.GrpcMode = GrpcServingMode.Unimplemented);
        await using var bed = new ContainerClient(fake);
        using var recorder = new TraceRecorder(nameof(GetAsync_NotFoundOverRest_ErrorHttpSpanWithErrorType));

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => bed.Client.GetAsync("operations/missing").WaitAsync(Bound));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Activity span = Assert.Single(recorder.Activities);
        Assert.Equal((GetMethod, ActivityStatusCode.Error), (span.DisplayName, span.Status));
        AssertTags(
            new()
            {
                ["rpc.method"] = GetMethod,
                ["rpc.response.status_code"] = "NOT_FOUND",
                ["error.type"] = "NOT_FOUND",
                ["http.request.method"] = "GET",
                ["url.template"] = "/v1/{name=operations/**}",
                ["server.address"] = "127.0.0.1",
                ["server.port"] = fake.RestAddress.Port,
                ["vaultgrpc.transport"] = "rest",
                ["vaultgrpc.fallback"] = "GrpcUnimplemented",
                ["vaultgrpc.attempts"] = 1,
            },
            span.TagObjects);
        Assert.Empty(bed.RpcDurations.GetMeasurementSnapshot());
    }

    [Fact]
    public void CopyTo_MeterFactorySet_TargetHasTheSameFactory()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = new VaultOperationsClientOptions { MeterFactory = services.GetRequiredService<IMeterFactory>() };
        var target = new VaultOperationsClientOptions();

        options.CopyTo(target);

        Assert.Same(options.MeterFactory, target.MeterFactory);
        Assert.Same(options.MeterFactory, options.Clone().MeterFactory);
    }

    // Exactly these attributes, no more: an attribute the conventions do not give this kind of call must be absent.
    private static void AssertTags(Dictionary<string, object?> expected, IEnumerable<KeyValuePair<string, object?>> actual) =>
        Assert.Equal(
            expected.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value} ({t.Value?.GetType().Name})"),
            actual.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value} ({t.Value?.GetType().Name})"));

    /// <summary>A client registered in a container with metrics (the fake's options, copied), and a collector on its rpc.client.call.duration.</summary>
    private sealed class ContainerClient : IAsyncDisposable
    {
        private readonly ServiceProvider _provider;

        public ContainerClient(FakeOperationsServer fake)
        {
            var services = new ServiceCollection();
            services.AddMetrics();
            services.AddVaultOperationsClient(Options(fake));
            _provider = services.BuildServiceProvider();
            MeterFactory = _provider.GetRequiredService<IMeterFactory>();
            RpcDurations = new MetricCollector<double>(MeterFactory, "VaultGrpc", "rpc.client.call.duration");
            Client = _provider.GetRequiredService<VaultOperationsClient>();
        }

        public IMeterFactory MeterFactory { get; }

        public MetricCollector<double> RpcDurations { get; }

        public VaultOperationsClient Client { get; }

        public async ValueTask DisposeAsync()
        {
            RpcDurations.Dispose();
            await _provider.DisposeAsync();
        }
    }
}
