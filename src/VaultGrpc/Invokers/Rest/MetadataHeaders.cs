using System.Net.Http.Headers;
using Grpc.Core;

namespace VaultGrpc.Invokers.Rest;

/// <summary>
/// gRPC metadata to HTTP headers and back: ASCII entries as they are, <c>-bin</c> entries as
/// base64 (the gRPC-over-HTTP/2 form).
/// </summary>
internal static class MetadataHeaders
{
    /// <summary>Adds <paramref name="metadata"/> to <paramref name="request"/>.</summary>
    /// <exception cref="ArgumentException">An entry names a header HTTP reserves (content headers, hop-by-hop ones).</exception>
    public static void Add(HttpRequestMessage request, Metadata? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        // By index: Metadata's enumerator is an interface (a boxed enumerator per request).
        for (int i = 0; i < metadata.Count; i++)
        {
            Metadata.Entry entry = metadata[i];
            string value = entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value;
            if (IsReserved(entry.Key) || !request.Headers.TryAddWithoutValidation(entry.Key, value))
            {
                throw new ArgumentException($"The metadata entry '{entry.Key}' cannot be sent as an HTTP request header.", nameof(metadata));
            }
        }
    }

    /// <summary>The headers of <paramref name="headers"/> that are valid metadata; others are skipped.</summary>
    public static Metadata From(HttpHeaders headers, HttpHeaders? more = null)
    {
        var metadata = new Metadata();
        AddAll(metadata, headers);
        if (more is not null)
        {
            AddAll(metadata, more);
        }

        return metadata;
    }

    private static void AddAll(Metadata metadata, HttpHeaders headers)
    {
        foreach (KeyValuePair<string, HeaderStringValues> header in headers.NonValidated)
        {
            string key = header.Key.ToLowerInvariant();
            foreach (string value in header.Value)
            {
                try
                {
                    if (key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.Ordinal))
                    {
                        metadata.Add(key, Convert.FromBase64String(Padded(value)));
                    }
                    else
                    {
                        metadata.Add(key, value);
                    }
                }
                catch (Exception ex) when (ex is ArgumentException or FormatException)
                {
                    // A header gRPC metadata cannot hold (a name or value outside its alphabet): not metadata.
                }
            }
        }
    }

    // gRPC senders may leave the padding off.
    private static string Padded(string base64) =>
        (base64.Length % 4) switch { 2 => base64 + "==", 3 => base64 + "=", _ => base64 };

    private static bool IsReserved(string key) =>
        key is "content-type" or "content-length" or "content-encoding" or "host" or "connection" or "transfer-encoding"
            or "te" or "upgrade" or "keep-alive" or "proxy-connection" or "expect"
        || key.StartsWith(':');
}
