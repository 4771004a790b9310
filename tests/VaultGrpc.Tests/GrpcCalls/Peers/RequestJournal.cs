using System.Collections.Concurrent;
using Grpc.Core;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>What the scripted service received: method and request headers of each call.</summary>
internal sealed class RequestJournal
{
    private readonly ConcurrentQueue<ReceivedCall> _calls = new();

    public IReadOnlyList<ReceivedCall> Calls => [.. _calls];

    public void Record(ServerCallContext context) =>
        _calls.Enqueue(new ReceivedCall(context.Method, context.Deadline, context.RequestHeaders.Select(h => KeyValuePair.Create(h.Key, h.Value)).ToArray()));
}

/// <summary>One call as the server saw it.</summary>
internal sealed record ReceivedCall(string Method, DateTime Deadline, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public string? Header(string key) => Headers.Where(h => h.Key == key).Select(h => h.Value).FirstOrDefault();

    public IEnumerable<string> Values(string key) => Headers.Where(h => h.Key == key).Select(h => h.Value);
}
