using VaultGrpc.Tests.GrpcCalls.Peers.Http2;

namespace VaultGrpc.Tests.GrpcCalls.Peers.SelfTests;

/// <summary>The peers' HPACK codec, including the forms SocketsHttpHandler does not use today.</summary>
[Trait("Category", "Reliability")]
public sealed class HpackCodecTests
{
    [Fact]
    public void Decode_EncodedLongAndNonAsciiValues_RoundTrips()
    {
        KeyValuePair<string, string>[] fields =
        [
            KeyValuePair.Create(":status", "200"),
            KeyValuePair.Create("grpc-message", "opération échouée"),
            KeyValuePair.Create("x-padding", new string('p', 20_000)), // a length needing three continuation bytes
        ];

        List<KeyValuePair<string, string>> decoded = new HpackDecoder().Decode(HpackEncoder.Encode(fields));

        Assert.Equal(fields, decoded);
    }

    [Fact]
    public void Decode_StaticIndexedField_ReadsStaticTable()
    {
        List<KeyValuePair<string, string>> decoded = new HpackDecoder().Decode([0x83, 0x86]);

        Assert.Equal([KeyValuePair.Create(":method", "POST"), KeyValuePair.Create(":scheme", "http")], decoded);
    }

    [Fact]
    public void Decode_IncrementalIndexingThenIndexed_ReadsDynamicEntryInLaterBlock()
    {
        var decoder = new HpackDecoder();
        byte[] literalIndexed = [0x40, 0x03, (byte)'x', (byte)'-', (byte)'a', 0x01, (byte)'1'];

        decoder.Decode(literalIndexed);
        List<KeyValuePair<string, string>> decoded = decoder.Decode([0xbe]); // index 62: the newest dynamic entry

        Assert.Equal([KeyValuePair.Create("x-a", "1")], decoded);
    }

    [Fact]
    public void Decode_TableSizeUpdateToZero_EvictsDynamicEntries()
    {
        var decoder = new HpackDecoder();
        decoder.Decode([0x40, 0x01, (byte)'k', 0x01, (byte)'v']);

        Assert.Throws<InvalidDataException>(() => decoder.Decode([0x20, 0xbe]));
    }

    [Fact]
    public void Decode_HuffmanCodedString_IsRefusedNotMisread()
    {
        byte[] huffmanName = [0x00, 0x81, 0xff, 0x01, (byte)'v'];

        Assert.Throws<NotSupportedException>(() => new HpackDecoder().Decode(huffmanName));
    }
}
