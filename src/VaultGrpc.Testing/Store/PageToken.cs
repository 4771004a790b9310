using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace VaultGrpc.Testing.Internal;

/// <summary>
/// An opaque ListOperations page token: the sequence number of the last operation sent, bound to the
/// filter it was issued for. Sequence numbers only grow, so inserts during paging never shift a page.
/// </summary>
internal static class PageToken
{
    private const string Version = "v1";

    public static string Encode(long lastSequence, string filter)
    {
        string plain = string.Create(CultureInfo.InvariantCulture, $"{Version}|{lastSequence}|{filter}");
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(plain));
    }

    /// <summary>The sequence after which the page starts; false when the token is not one of ours or was issued for another filter.</summary>
    public static bool TryDecode(string token, string filter, out long lastSequence)
    {
        lastSequence = 0;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return false;
        }

        string[] parts = Encoding.UTF8.GetString(bytes).Split('|', 3);
        return parts.Length == 3
            && parts[0] == Version
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out lastSequence)
            && parts[2] == filter;
    }
}
