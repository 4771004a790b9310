using System.Collections.Concurrent;
using Google.Protobuf.Reflection;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// Finds the message type an <c>Any</c>'s <c>@type</c> URL names in one registry, remembering the
/// answers for the URLs it has seen (one lookup per client, as the registry is per client).
/// </summary>
internal sealed class PackedTypeLookup
{
    private const int MaxRememberedTypeUrls = 256;

    // Type URL to packed type (null: unknown), so a busy client does not slice and look up the same URL per response.
    private readonly ConcurrentDictionary<string, MessageDescriptor?> _byTypeUrl = new(StringComparer.Ordinal);

    /// <summary>Looks types up in <paramref name="registry"/>.</summary>
    public PackedTypeLookup(TypeRegistry registry)
    {
        Registry = registry;
    }

    /// <summary>The registry looked in.</summary>
    public TypeRegistry Registry { get; }

    /// <summary>The type <paramref name="typeUrl"/> names, or null when it has no '/' or names a type the registry lacks.</summary>
    public MessageDescriptor? Find(string typeUrl)
    {
        if (_byTypeUrl.TryGetValue(typeUrl, out MessageDescriptor? packed))
        {
            return packed;
        }

        int slash = typeUrl.LastIndexOf('/');
        packed = slash < 0 ? null : Registry.Find(typeUrl[(slash + 1)..]);

        // Bounded so that a server inventing URLs cannot grow the cache without end.
        if (_byTypeUrl.Count < MaxRememberedTypeUrls)
        {
            _byTypeUrl.TryAdd(typeUrl, packed);
        }

        return packed;
    }
}
