using System.Text;

namespace VaultGrpc.Tests.GrpcCalls.Peers.Http2;

/// <summary>
/// Decodes HPACK header blocks (RFC 7541) for one connection: static and dynamic table, every
/// literal form, table size updates. Huffman-coded strings are not decoded — measured,
/// SocketsHttpHandler never sends them — and fail the block with <see cref="NotSupportedException"/>.
/// </summary>
internal sealed class HpackDecoder
{
    // SETTINGS_HEADER_TABLE_SIZE is never changed by the peers, so the client's encoder may use 4096.
    private const int MaxTableSize = 4096;

    private readonly LinkedList<(string Name, string Value)> _dynamic = new();
    private int _tableSize;
    private int _tableCapacity = MaxTableSize;

    public List<KeyValuePair<string, string>> Decode(ReadOnlySpan<byte> block)
    {
        var fields = new List<KeyValuePair<string, string>>();
        int position = 0;
        while (position < block.Length)
        {
            byte first = block[position];
            if ((first & 0x80) != 0)
            {
                (string name, string value) = Lookup(ReadInteger(block, ref position, 7));
                fields.Add(KeyValuePair.Create(name, value));
            }
            else if ((first & 0x40) != 0)
            {
                (string name, string value) = ReadLiteral(block, ref position, 6);
                fields.Add(KeyValuePair.Create(name, value));
                Insert(name, value);
            }
            else if ((first & 0x20) != 0)
            {
                int capacity = ReadInteger(block, ref position, 5);
                if (capacity > MaxTableSize)
                {
                    throw new InvalidDataException($"HPACK table size update to {capacity} exceeds {MaxTableSize}.");
                }

                _tableCapacity = capacity;
                Evict();
            }
            else
            {
                // Literal without indexing (0000) or never indexed (0001): same layout, 4-bit prefix.
                (string name, string value) = ReadLiteral(block, ref position, 4);
                fields.Add(KeyValuePair.Create(name, value));
            }
        }

        return fields;
    }

    private (string Name, string Value) ReadLiteral(ReadOnlySpan<byte> block, ref int position, int prefixBits)
    {
        int index = ReadInteger(block, ref position, prefixBits);
        string name = index == 0 ? ReadString(block, ref position) : Lookup(index).Name;
        return (name, ReadString(block, ref position));
    }

    private (string Name, string Value) Lookup(int index)
    {
        if (index >= 1 && index <= HpackStaticTable.Count)
        {
            return HpackStaticTable.Get(index);
        }

        int dynamicIndex = index - HpackStaticTable.Count - 1;
        if (index < 1 || dynamicIndex >= _dynamic.Count)
        {
            throw new InvalidDataException($"HPACK index {index} is not in the table.");
        }

        return _dynamic.ElementAt(dynamicIndex);
    }

    private void Insert(string name, string value)
    {
        _dynamic.AddFirst((name, value));
        _tableSize += EntrySize(name, value);
        Evict();
    }

    private void Evict()
    {
        while (_tableSize > _tableCapacity && _dynamic.Last is { } oldest)
        {
            _tableSize -= EntrySize(oldest.Value.Name, oldest.Value.Value);
            _dynamic.RemoveLast();
        }
    }

    private static int EntrySize(string name, string value) => Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value) + 32;

    private static string ReadString(ReadOnlySpan<byte> block, ref int position)
    {
        bool huffman = (block[position] & 0x80) != 0;
        int length = ReadInteger(block, ref position, 7);
        if (huffman)
        {
            throw new NotSupportedException("A Huffman-coded HPACK string: this test decoder reads only raw literals.");
        }

        string text = Encoding.UTF8.GetString(block.Slice(position, length));
        position += length;
        return text;
    }

    // RFC 7541 §5.1: an N-bit prefix, then 7 bits per continuation byte, least significant first.
    private static int ReadInteger(ReadOnlySpan<byte> block, ref int position, int prefixBits)
    {
        int mask = (1 << prefixBits) - 1;
        int value = block[position++] & mask;
        if (value < mask)
        {
            return value;
        }

        int shift = 0;
        byte next;
        do
        {
            next = block[position++];
            value += (next & 0x7f) << shift;
            shift += 7;
            if (shift > 28)
            {
                throw new InvalidDataException("An HPACK integer longer than 32 bits.");
            }
        }
        while ((next & 0x80) != 0);

        return value;
    }
}
