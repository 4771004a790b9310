namespace VaultGrpc.Internal.GrpcCalls.Connections;

/// <summary>What ended a connection before its server acknowledged our HTTP/2 settings.</summary>
/// <param name="Description">What the server did, for messages.</param>
/// <param name="Http2ErrorCode">The HTTP/2 error code it implies (RFC 9113 §7), e.g. PROTOCOL_ERROR for an HTTP/1.x answer.</param>
internal sealed record Http2HandshakeFailure(string Description, long Http2ErrorCode)
{
    /// <summary>RFC 9113 §7 PROTOCOL_ERROR.</summary>
    public const long ProtocolError = 0x1;
}
