using System.Text;

namespace VaultGrpc.Tests.GrpcCalls.Peers.Http2;

/// <summary>
/// Encodes a header list as HPACK literals without indexing and with a literal name (RFC 7541
/// §6.2.2), no Huffman: the simplest block every decoder must accept, and it leaves the client's
/// dynamic table untouched so blocks can be sent in any order.
/// </summary>
internal static class HpackEncoder
{
    public static byte[] Encode(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var block = new List<byte>();
        foreach ((string name, string value) in fields)
        {
            block.Add(0x00);
            WriteString(block, name);
            WriteString(block, value);
        }

        return [.. block];
    }

    private static void WriteString(List<byte> block, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        WriteInteger(block, bytes.Length, prefixBits: 7, firstByteFlags: 0x00);
        block.AddRange(bytes);
    }

    private static void WriteInteger(List<byte> block, int value, int prefixBits, byte firstByteFlags)
    {
        int mask = (1 << prefixBits) - 1;
        if (value < mask)
        {
            block.Add((byte)(firstByteFlags | value));
            return;
        }

        block.Add((byte)(firstByteFlags | mask));
        value -= mask;
        while (value >= 0x80)
        {
            block.Add((byte)((value & 0x7f) | 0x80));
            value >>= 7;
        }

        block.Add((byte)value);
    }
}
