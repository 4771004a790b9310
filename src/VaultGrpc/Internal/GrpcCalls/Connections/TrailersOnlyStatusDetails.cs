using System.Net.Http.Headers;

namespace VaultGrpc.Internal.GrpcCalls.Connections;

/// <summary>
/// A status sent without a message ("trailers-only") comes in the response headers, which
/// Grpc.Net.Client decodes eagerly: a <c>grpc-status-details-bin</c> that is not base64 makes it
/// report INTERNAL instead of the status the server sent. The details are dropped instead, so the
/// caller gets the server's code and message. (In real trailers the same value is decoded only when
/// asked for, and the code survives.)
/// </summary>
internal static class TrailersOnlyStatusDetails
{
    private const string DetailsHeader = "grpc-status-details-bin";

    /// <summary>Removes an undecodable details header from <paramref name="response"/>'s headers.</summary>
    public static void DropIfUndecodable(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues(DetailsHeader, out HeaderStringValues values))
        {
            return;
        }

        foreach (string value in values)
        {
            if (!IsBase64(value))
            {
                response.Headers.Remove(DetailsHeader);
                return;
            }
        }
    }

    // gRPC sends binary headers base64-encoded, padding optional.
    private static bool IsBase64(string value)
    {
        int padded = (value.Length + 3) / 4 * 4;
        Span<char> text = padded <= 1024 ? stackalloc char[padded] : new char[padded];
        value.AsSpan().CopyTo(text);
        text[value.Length..].Fill('=');
        Span<byte> bytes = padded <= 1024 ? stackalloc byte[padded] : new byte[padded];
        return Convert.TryFromBase64Chars(text, bytes, out _);
    }
}
