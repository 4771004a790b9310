using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.Tests.Sample;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

namespace VaultGrpc.Tests.Invokers.Rest;

/// <summary>
/// A second service's stub (the sample proto) over <see cref="RestCallInvoker"/> gets the same
/// answers as over a <see cref="GrpcChannel"/>, served by ASP.NET Core's JSON transcoding.
/// </summary>
public sealed class SampleServiceOverRestInvokerTests : IAsyncLifetime
{
    private SampleShelvesHost _host = null!;
    private GrpcChannel _channel = null!;
    private RestCallInvoker _rest = null!;

    public async Task InitializeAsync()
    {
        _host = await SampleShelvesHost.StartAsync();
        _channel = GrpcChannel.ForAddress(_host.GrpcAddress);
        var options = new RestCallInvokerOptions();
        options.Services.Add(VaultgrpcSampleShelvesReflection.Descriptor.Services[0]);
        _rest = new RestCallInvoker(_host.RestAddress, options);
    }

    public async Task DisposeAsync()
    {
        _rest.Dispose();
        _channel.Dispose();
        await _host.DisposeAsync();
    }

    public static TheoryData<string> SearchQueries => new() { "plain", "a b&c=d?#/é", "" };

    [Theory]
    [MemberData(nameof(SearchQueries))]
    public async Task SearchBooks_PathAndQueryFields_SameAnswerAsGrpc(string query)
    {
        var request = new SearchBooksRequest
        {
            Parent = "shelves/s-1",
            Query = query,
            PageSize = 25,
            Tags = { "sci fi", "classic" },
            Options = new SearchOptions { IncludeDrafts = true, LanguageCode = "en-GB" },
            Order = Order.Title,
            MinPages = 0,
        };

        SearchBooksResponse overGrpc = await new Shelves.ShelvesClient(_channel).SearchBooksAsync(request).ResponseAsync.WaitAsync(Bound);
        SearchBooksResponse overRest = await new Shelves.ShelvesClient(_rest).SearchBooksAsync(request).ResponseAsync.WaitAsync(Bound);

        Assert.Equal(request, overGrpc.Received);
        Assert.Equal(overGrpc, overRest);
        Assert.Equal(9_007_199_254_740_993, overRest.Books[0].PageCount);
    }

    [Fact]
    public async Task CreateBook_BodyIsOneField_SameAnswerAsGrpc()
    {
        var request = new CreateBookRequest { Parent = "shelves/s-2", Book = new Book { Title = "Dune Messiah", Tags = { "x" } } };

        Book overGrpc = await new Shelves.ShelvesClient(_channel).CreateBookAsync(request).ResponseAsync.WaitAsync(Bound);
        Book overRest = await new Shelves.ShelvesClient(_rest).CreateBookAsync(request).ResponseAsync.WaitAsync(Bound);

        Assert.Equal("shelves/s-2/books/dune-messiah", overGrpc.Name);
        Assert.Equal(overGrpc, overRest);
    }

    [Fact]
    public async Task MoveBook_BodyIsWholeRequest_SameAnswerAsGrpc()
    {
        var request = new MoveBookRequest { Name = "shelves/s-1/books/b 1", DestinationShelf = "shelves/s-9", KeepTags = true };

        Book overGrpc = await new Shelves.ShelvesClient(_channel).MoveBookAsync(request).ResponseAsync.WaitAsync(Bound);
        Book overRest = await new Shelves.ShelvesClient(_rest).MoveBookAsync(request).ResponseAsync.WaitAsync(Bound);

        Assert.Equal(overGrpc, overRest);
        Assert.Equal(["kept"], overRest.Tags);
    }

    [Fact]
    public async Task CreateBook_ServiceRefuses_SameStatusAsGrpc()
    {
        var request = new CreateBookRequest { Parent = "shelves/s-2", Book = new Book() };

        RpcException overGrpc = await Assert.ThrowsAsync<RpcException>(() => new Shelves.ShelvesClient(_channel).CreateBookAsync(request).ResponseAsync.WaitAsync(Bound));
        RpcException overRest = await Assert.ThrowsAsync<RpcException>(() => new Shelves.ShelvesClient(_rest).CreateBookAsync(request).ResponseAsync.WaitAsync(Bound));

        Assert.Equal((overGrpc.StatusCode, overGrpc.Status.Detail), (overRest.StatusCode, overRest.Status.Detail));
    }

    [Fact]
    public async Task SearchBooks_ResponseHeadersAndStatus_ExposedThroughTheCall()
    {
        AsyncUnaryCall<SearchBooksResponse> call = new Shelves.ShelvesClient(_rest).SearchBooksAsync(new SearchBooksRequest { Parent = "shelves/s-1" });

        Metadata headers = await call.ResponseHeadersAsync.WaitAsync(Bound);
        await call.ResponseAsync.WaitAsync(Bound);

        Assert.Contains(headers, h => h.Key == "content-type" && h.Value.StartsWith("application/json", StringComparison.Ordinal));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.NotNull(call.GetTrailers());
    }

    [Fact]
    public async Task Ping_NoHttpRule_UnimplementedOverRestWhileGrpcServesIt()
    {
        var book = new Book { Title = "echo" };

        Book overGrpc = await new Shelves.ShelvesClient(_channel).PingAsync(book).ResponseAsync.WaitAsync(Bound);
        RpcException overRest = await Assert.ThrowsAsync<RpcException>(() => new Shelves.ShelvesClient(_rest).PingAsync(book).ResponseAsync.WaitAsync(Bound));

        Assert.Equal(book, overGrpc);
        Assert.Equal(StatusCode.Unimplemented, overRest.StatusCode);
        Assert.Contains("vaultgrpc.testing.sample.v1.Shelves.Ping", overRest.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void SearchBooks_BlockingCall_SameAnswerAsAsync()
    {
        var request = new SearchBooksRequest { Parent = "shelves/s-3", Query = "q" };

        SearchBooksResponse blocking = new Shelves.ShelvesClient(_rest).SearchBooks(request);

        Assert.Equal(request, blocking.Received);
    }
}
