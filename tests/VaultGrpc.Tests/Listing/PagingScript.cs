using System.Globalization;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Listing;

/// <summary>
/// What a ListOperations server answers for each page. A page is found from the token of the
/// request (<see cref="Token"/> writes the page's number at its start), so a script can hand out
/// fresh tokens, long ones, or tokens that lead back to an earlier page.
/// </summary>
internal sealed class PagingScript(Func<int, ListOperationsResponse> page)
{
    private int _requests;

    /// <summary>ListOperations requests answered so far, on either transport.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Every page empty, each with a fresh token of <paramref name="tokenLength"/> characters: the listing never ends by itself.</summary>
    public static PagingScript EmptyPagesForever(int tokenLength) =>
        new(index => new ListOperationsResponse { NextPageToken = Token(index + 1, tokenLength) });

    /// <summary>One operation a page, each with a fresh token of <paramref name="tokenLength"/> characters, without end.</summary>
    public static PagingScript OneOperationAPageForever(int tokenLength) =>
        new(index => new ListOperationsResponse
        {
            Operations = { new Operation { Name = string.Create(CultureInfo.InvariantCulture, $"operations/page-{index}") } },
            NextPageToken = Token(index + 1, tokenLength),
        });

    /// <summary>
    /// A token for page <paramref name="index"/>, <paramref name="length"/> characters long (at least 10):
    /// 'p', nine digits, then filler that needs no percent-encoding in a URL.
    /// </summary>
    public static string Token(int index, int length) =>
        string.Create(CultureInfo.InvariantCulture, $"p{index:D9}") + new string('t', length - 10);

    /// <summary>The page a request asks for: 0 for no token, else the number at the token's start.</summary>
    public ListOperationsResponse Answer(string pageToken)
    {
        Interlocked.Increment(ref _requests);
        int index = pageToken.Length == 0 ? 0 : int.Parse(pageToken.AsSpan(1, 9), CultureInfo.InvariantCulture);
        return page(index);
    }
}
