namespace VaultGrpc.Tests.GrpcCalls.Peers.Http2;

/// <summary>One HTTP/2 frame as it crossed the wire: the 9-byte header's fields and the raw payload.</summary>
internal sealed record H2Frame(H2FrameType Type, byte Flags, int StreamId, byte[] Payload)
{
    /// <summary>DATA and HEADERS: the last frame the sender will send on this stream.</summary>
    public const byte EndStream = 0x1;

    /// <summary>SETTINGS and PING: this frame acknowledges the peer's.</summary>
    public const byte Ack = 0x1;

    /// <summary>HEADERS and CONTINUATION: the header block ends in this frame.</summary>
    public const byte EndHeaders = 0x4;

    /// <summary>DATA and HEADERS: the payload starts with a pad length.</summary>
    public const byte Padded = 0x8;

    /// <summary>HEADERS: the payload carries a 5-byte priority block after any pad length.</summary>
    public const byte PriorityFlag = 0x20;

    /// <summary>The largest payload either side may send before SETTINGS_MAX_FRAME_SIZE is raised.</summary>
    public const int DefaultMaxPayload = 16_384;

    public bool Has(byte flag) => (Flags & flag) != 0;
}
