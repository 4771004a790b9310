namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>
/// A request as a hand-written HTTP/2 peer saw it on the wire: which connection (1 for the first
/// accepted) and stream, its decoded header fields, and the DATA received on it.
/// </summary>
internal sealed record ReceivedRequest(
    int Connection,
    int StreamId,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body,
    bool Complete)
{
    public string? Path => Header(":path");

    public string? Method => Header(":method");

    public string? Header(string name) => Headers.Where(h => h.Key == name).Select(h => h.Value).FirstOrDefault();
}
