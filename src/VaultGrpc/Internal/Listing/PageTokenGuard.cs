using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Grpc.Core;

namespace VaultGrpc.Internal.Listing;

/// <summary>
/// Stops a listing that a server would make endless, in memory that does not grow with the number
/// of pages: a next-page token that is too long, one already given (among the last
/// <see cref="RecentTokenWindow"/>, or anywhere in a longer cycle), or too many empty pages in a row.
/// One per listing; not thread-safe.
/// </summary>
/// <remarks>
/// Tokens are remembered as 128-bit prefixes of their SHA-256, never as text: the window costs
/// 16 bytes a page however long the tokens are. Cycles longer than the window are found by Brent's
/// method (one remembered token, compared with each new one and moved forward at every power of two),
/// within about twice the cycle's length. A server can still make a listing long by handing out new
/// tokens with operations on every page; the caller sees those operations and decides when to stop.
/// </remarks>
internal sealed class PageTokenGuard
{
    /// <summary>
    /// Longest next-page token accepted, in characters. Real tokens are a few hundred characters; the
    /// token goes back in the next request, on REST in the URL query, where front ends commonly refuse
    /// request lines over 8 KiB (Kestrel's and nginx's defaults), so a longer one could not be sent anyway.
    /// </summary>
    public const int MaxTokenLength = 8 * 1024;

    /// <summary>
    /// Most pages in a row with no operation and a next-page token. A server may return an empty
    /// page while it scans (AIP-158), but not without end.
    /// </summary>
    public const int MaxEmptyPagesInARow = 100;

    /// <summary>How many of the latest tokens are remembered exactly (by hash) to spot a repeat at once.</summary>
    public const int RecentTokenWindow = 1024;

    private const string Method = "ListOperations";

    private readonly UInt128[] _recent = new UInt128[RecentTokenWindow];
    private readonly HashSet<UInt128> _recentSet = new(RecentTokenWindow);
    private int _recentCount;
    private int _recentNext;

    // Brent's cycle detection: the token at the last power-of-two step, and how many steps since.
    private UInt128 _checkpoint;
    private bool _hasCheckpoint;
    private long _stepsSinceCheckpoint;
    private long _checkpointSpan = 1;

    private int _emptyInARow;

    /// <summary>Pages accepted so far.</summary>
    public long Pages { get; private set; }

    /// <summary>
    /// Accepts one page (its operation count and next token) served over <paramref name="transport"/>,
    /// or throws <see cref="RpcException"/> (Internal) saying why the listing stops.
    /// </summary>
    public void Accept(int operationCount, string nextPageToken, Transport transport)
    {
        Pages++;
        if (nextPageToken.Length == 0)
        {
            return;
        }

        if (nextPageToken.Length > MaxTokenLength)
        {
            throw Stop(transport, string.Create(
                CultureInfo.InvariantCulture,
                $"a next page token of {nextPageToken.Length} characters; at most {MaxTokenLength} are accepted"));
        }

        _emptyInARow = operationCount == 0 ? _emptyInARow + 1 : 0;
        if (_emptyInARow >= MaxEmptyPagesInARow)
        {
            throw Stop(transport, string.Create(
                CultureInfo.InvariantCulture,
                $"{_emptyInARow} empty pages in a row, each with a next page token; a listing stops after {MaxEmptyPagesInARow}"));
        }

        UInt128 hash = Hash(nextPageToken);
        if (_recentSet.Contains(hash) || (_hasCheckpoint && hash == _checkpoint))
        {
            throw Stop(transport, "a next page token it had already given; following it would list the same pages again without end");
        }

        Remember(hash);
        AdvanceCheckpoint(hash);
    }

    private void Remember(UInt128 hash)
    {
        if (_recentCount == RecentTokenWindow)
        {
            _recentSet.Remove(_recent[_recentNext]);
        }
        else
        {
            _recentCount++;
        }

        _recent[_recentNext] = hash;
        _recentSet.Add(hash);
        _recentNext = (_recentNext + 1) % RecentTokenWindow;
    }

    private void AdvanceCheckpoint(UInt128 hash)
    {
        _stepsSinceCheckpoint++;
        if (!_hasCheckpoint || _stepsSinceCheckpoint == _checkpointSpan)
        {
            _checkpoint = hash;
            _hasCheckpoint = true;
            _stepsSinceCheckpoint = 0;
            _checkpointSpan *= 2;
        }
    }

    private RpcException Stop(Transport transport, string what) =>
        new(new Status(StatusCode.Internal, string.Create(
            CultureInfo.InvariantCulture,
            $"{Method} (over {transport}) returned {what}. The listing stopped after {Pages} pages.")));

    private static UInt128 Hash(string token)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(token.AsSpan()), digest);
        return MemoryMarshal.Read<UInt128>(digest);
    }
}
