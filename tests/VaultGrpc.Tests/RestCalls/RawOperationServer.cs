using System.Collections.Concurrent;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>
/// One Kestrel on 127.0.0.1 for a whole test class: <c>GET /v1/operations/{id}</c> answers the
/// status and body registered under that name, as sent (numbers, repeated keys, garbage and all).
/// </summary>
public sealed class RawOperationServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _answers = new(StringComparer.Ordinal);
    private int _next;

    internal RecordingRestServer Server { get; private set; } = null!;

    /// <summary>Registers an answer and returns the operation name whose GET gets it.</summary>
    public string Serve(string json, int status = 200)
    {
        string name = $"operations/case-{Interlocked.Increment(ref _next)}";
        _answers[name] = (status, json);
        return name;
    }

    /// <summary>Options of a client that sends everything to this server over REST, without credentials.</summary>
    public VaultOperationsClientOptions RestOnlyOptions() => new()
    {
        Endpoint = Server.BaseAddress,
        TransportMode = TransportMode.RestOnly,
        Credentials = VaultCredentials.None,
    };

    public async Task InitializeAsync() =>
        Server = await RecordingRestServer.StartAsync(HttpProtocols.Http1, (context, request) =>
            _answers.TryGetValue(request.RouteName!, out (int Status, string Body) answer)
                ? RecordingRestServer.WriteJsonAsync(context, answer.Body, answer.Status)
                : RecordingRestServer.WriteJsonAsync(context, """{"error":{"code":404,"status":"NOT_FOUND","message":"no such case"}}""", 404));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
