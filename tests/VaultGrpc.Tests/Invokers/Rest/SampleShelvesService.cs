using Grpc.Core;
using VaultGrpc.Tests.Sample;

namespace VaultGrpc.Tests.Invokers.Rest;

/// <summary>The sample service: answers with what it received, so both transports can be compared field by field.</summary>
internal sealed class SampleShelvesService : Shelves.ShelvesBase
{
    public override Task<SearchBooksResponse> SearchBooks(SearchBooksRequest request, ServerCallContext context) =>
        Task.FromResult(new SearchBooksResponse
        {
            Received = request,
            Books = { new Book { Name = request.Parent + "/books/1", Title = "Found: " + request.Query, PageCount = 9_007_199_254_740_993 } },
        });

    public override Task<Book> CreateBook(CreateBookRequest request, ServerCallContext context)
    {
        if (request.Book is null || request.Book.Title.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "A book needs a title."));
        }

        Book created = request.Book.Clone();
        created.Name = request.Parent + "/books/" + created.Title.ToLowerInvariant().Replace(' ', '-');
        return Task.FromResult(created);
    }

    public override Task<Book> MoveBook(MoveBookRequest request, ServerCallContext context)
    {
        string id = request.Name[(request.Name.LastIndexOf('/') + 1)..];
        var moved = new Book { Name = request.DestinationShelf + "/books/" + id, Title = "moved from " + request.Name };
        if (request.KeepTags)
        {
            moved.Tags.Add("kept");
        }

        return Task.FromResult(moved);
    }

    public override Task<Book> Ping(Book request, ServerCallContext context) => Task.FromResult(request);
}
