using System.IO.Compression;
using System.Net.Http.Headers;
using VaultGrpc.Internal.Text;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// Compressed REST answers, decoded by the invoker rather than by the handler's automatic
/// decompression: SocketsHttpHandler's parses and enumerates <c>Accept-Encoding</c> on every request
/// and checks <c>Content-Encoding</c> through typed headers (about 600 B a call); here the request
/// header is one constant string and an answer without <c>Content-Encoding</c> costs one lookup.
/// The invoker asks only through a handler known not to decompress (its own, or a caller's chain
/// ending in a SocketsHttpHandler or HttpClientHandler without automatic decompression): one that
/// decompresses adds its own header and removes <c>Content-Encoding</c>, so nothing is decoded twice,
/// and an unknown one gets identity answers, as it did before. Answers are decoded whoever asked.
/// </summary>
internal static class ContentDecoding
{
    /// <summary>The encodings the invoker decodes, as sent in <c>Accept-Encoding</c>.</summary>
    public const string AcceptEncoding = "gzip, deflate, br";

    private const string ContentEncodingHeader = "Content-Encoding";

    // More than any server sends (one coding, now and then identity beside it).
    private const int MaxCodings = 3;

    /// <summary>Whether requests through <paramref name="handler"/> should ask for compressed answers themselves.</summary>
    public static bool ShouldAskThrough(HttpMessageHandler handler) =>
        HandlerChain.Of(handler).Last() switch
        {
            SocketsHttpHandler sockets => sockets.AutomaticDecompression == System.Net.DecompressionMethods.None,
            HttpClientHandler client => client.AutomaticDecompression == System.Net.DecompressionMethods.None,

            // A delegating handler still at the end: no inner handler yet, or a chain too deep to follow.
            _ => false,
        };

    /// <summary>
    /// The answer's content codings in the order they were applied, or null when it names none but
    /// identity (its declared length is then the body's).
    /// </summary>
    public static IReadOnlyList<string>? CodingsOf(HttpContent content)
    {
        if (!content.Headers.NonValidated.TryGetValues(ContentEncodingHeader, out HeaderStringValues values))
        {
            return null;
        }

        var codings = new List<string>();
        foreach (string value in values)
        {
            foreach (string coding in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                codings.Add(coding);
            }
        }

        return codings.TrueForAll(c => c.Equals("identity", StringComparison.OrdinalIgnoreCase)) ? null : codings;
    }

    /// <summary><paramref name="raw"/> decoded through <paramref name="codings"/> (<see cref="CodingsOf"/>), last applied first.</summary>
    /// <exception cref="InvalidDataException">An encoding the invoker did not offer, or too many stacked; the message says which.</exception>
    public static Stream Decode(IReadOnlyList<string> codings, Stream raw)
    {
        // Each layer holds a decoder's window: a server stacking many would cost memory for nothing.
        if (codings.Count > MaxCodings)
        {
            throw new InvalidDataException($"the answer stacks {codings.Count} content encodings; the client decodes at most {MaxCodings}");
        }

        Stream decoded = raw;
        for (int i = codings.Count - 1; i >= 0; i--)
        {
            decoded = codings[i].ToLowerInvariant() switch
            {
                "gzip" or "x-gzip" => new GZipStream(decoded, CompressionMode.Decompress),
                "deflate" => new ZLibStream(decoded, CompressionMode.Decompress),
                "br" => new BrotliStream(decoded, CompressionMode.Decompress),
                "identity" => decoded,
                _ => throw new InvalidDataException($"the answer is encoded as '{ServerText.Snippet(codings[i], 40)}', which the client did not offer (it accepts {AcceptEncoding})"),
            };
        }

        return decoded;
    }
}
