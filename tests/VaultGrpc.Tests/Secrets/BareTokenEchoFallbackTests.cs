using Microsoft.AspNetCore.Builder;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using VaultGrpc.Tests.ClientBehaviour;
using VaultGrpc.Tests.GrpcCalls.Peers;
using VaultGrpc.Tests.RestCalls;

namespace VaultGrpc.Tests.Secrets;

/// <summary>
/// A gRPC side that quotes the caller's token bare (no "Bearer", no token shape the patterns know)
/// in its UNIMPLEMENTED: the fallback's detail, the sticky finding and the fallback invoker's log
/// mask it as the client's own token.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class BareTokenEchoFallbackTests
{
    private const string Token = "SENTINELq7Zx3kP9w";

    [Fact]
    public async Task ListPageAsync_GrpcUnimplementedQuotesBareToken_FallbackDetailAndLogsMaskIt()
    {
        await using KestrelPeer grpc = await KestrelPeer.StartAsync(HttpProtocols.Http2, app => ((IApplicationBuilder)app).Run(context =>
        {
            string bare = context.Request.Headers.Authorization.ToString().Replace("Bearer ", string.Empty, StringComparison.Ordinal);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "12";
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString($"Method not found for caller {bare}");
            return Task.CompletedTask;
        }));
        await using RecordingRestServer rest = await RecordingRestServer.StartAsync(HttpProtocols.Http1, async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{}");
        });

        using var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using VaultOperationsClient client = VaultOperationsClient.Create(new VaultOperationsClientOptions
        {
            Endpoint = grpc.Address,
            RestEndpoint = rest.BaseAddress,
            TransportMode = TransportMode.Auto,
            Credentials = VaultCredentials.FromAccessToken(Token),
            LoggerFactory = loggerFactory,
            Retry = { MaxAttempts = 1 },
        });

        VaultResponse<VaultGrpc.LongRunning.ListOperationsResponse> page = await client.ListPageAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(FallbackReason.GrpcUnimplemented, page.Call.Fallback);
        Assert.Multiple(
            () => Assert.All(logs.Logs, l => Assert.DoesNotContain(Token, l.AllText(), StringComparison.Ordinal)),
            () => Assert.DoesNotContain(Token, client.TransportStatus.LastFallbackDetail ?? string.Empty, StringComparison.Ordinal),
            () => Assert.DoesNotContain(Token, page.Call.FallbackDetail ?? string.Empty, StringComparison.Ordinal));
        // The echo was there, and masked: "Method not found for caller ***".
        Assert.Contains("Method not found for caller ***", page.Call.FallbackDetail, StringComparison.Ordinal);
    }
}
