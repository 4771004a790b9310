// README:fallback-invoker usings begin
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc;
using VaultGrpc.Invokers.Fallback;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.Tests.Sample; // your stub's namespace: the csharp_namespace of your .proto
// README:fallback-invoker usings end
using VaultGrpc.Tests.Invokers.Rest;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

// Outside the VaultGrpc namespaces, as a user's code is, so the usings above (and the test's own
// below them) are all the sample has.
namespace ReadmeSamples;

/// <summary>
/// The README's "runtime fallback for any service with http annotations" sample: a stub of a second
/// service (the sample Shelves proto, a GET route and a POST with a body) over one FallbackCallInvoker,
/// against a host that serves gRPC on one listener and only HTTP/1.1 (JSON transcoding) on the other.
/// ReadmeSyncTests compares the README:fallback-invoker region with README.md.
/// </summary>
public sealed class FallbackInvokerReadmeSampleTests
{
    [Fact]
    public async Task ReadmeSample_GrpcEndpointServesOnlyHttp11_GetAndPostWithBodyServedByRest()
    {
        await using SampleShelvesHost host = await SampleShelvesHost.StartAsync();

        (Book created, string servedBy, SearchBooksResponse found, string searchServedBy) = await RunSampleAsync(grpcEndpoint: host.RestAddress, host.RestAddress);

        Assert.Equal("shelves/s-1/books/dune", created.Name);
        Assert.Equal("rest; fallback=grpc_not_served", servedBy);
        Assert.Equal("Found: dune", found.Books[0].Title);
        // The channel is now known not to serve gRPC: the GET goes straight to REST.
        Assert.Equal("rest; fallback=sticky_rest", searchServedBy);
    }

    [Fact]
    public async Task ReadmeSample_GrpcServed_BothCallsOverGrpc()
    {
        await using SampleShelvesHost host = await SampleShelvesHost.StartAsync();

        (Book created, string servedBy, SearchBooksResponse found, string searchServedBy) = await RunSampleAsync(host.GrpcAddress, host.RestAddress);

        Assert.Equal("shelves/s-1/books/dune", created.Name);
        Assert.Equal(("grpc", "grpc"), (servedBy, searchServedBy));
        Assert.Equal("Found: dune", found.Books[0].Title);
    }

    [Fact]
    public async Task PlainChannel_GrpcEndpointServesOnlyHttp11_PostEndsOutcomeUnknownAndNeverReachesRest()
    {
        await using SampleShelvesHost host = await SampleShelvesHost.StartAsync();
        // A plain channel sends HEADERS and DATA right after its preface: when the HTTP/1.1 server's
        // refusal comes, nothing proves the POST did not reach something that could act on it.
        using GrpcChannel channel = GrpcChannel.ForAddress(host.RestAddress);
        using var counting = new CountingHandler();
        var restOptions = new RestCallInvokerOptions { Credentials = VaultCredentials.None, HttpHandler = counting };
        restOptions.Services.Add(VaultgrpcSampleShelvesReflection.Descriptor.Services[0]);
        using var rest = new RestCallInvoker(host.RestAddress, restOptions);
        var shelves = new Shelves.ShelvesClient(new FallbackCallInvoker(channel.CreateCallInvoker(), rest));

        var error = await Assert.ThrowsAsync<VaultOutcomeUnknownException>(
            () => shelves.CreateBookAsync(new CreateBookRequest { Parent = "shelves/s-1", Book = new Book { Title = "Dune" } }).ResponseAsync.WaitAsync(Bound));

        Assert.Equal("CreateBook", error.Method);
        Assert.Equal(0, counting.Requests);
    }

    private static async Task<(Book Created, string ServedBy, SearchBooksResponse Found, string SearchServedBy)> RunSampleAsync(Uri grpcEndpoint, Uri restEndpoint)
    {
        // README:fallback-invoker begin
        // gRPC first; REST, routed by the same proto's http rules, when gRPC cannot serve a call.
        // VaultGrpcChannel bounds silent networks and holds each request until the server has
        // answered HTTP/2's handshake, so that even a POST may move when gRPC is not there.
        using GrpcChannel channel = VaultGrpcChannel.Create(
            new VaultOperationsClientOptions { Endpoint = grpcEndpoint, Credentials = VaultCredentials.None });
        var restOptions = new RestCallInvokerOptions { Credentials = VaultCredentials.None };
        restOptions.Services.Add(VaultgrpcSampleShelvesReflection.Descriptor.Services[0]);
        using var rest = new RestCallInvoker(restEndpoint, restOptions);

        var fallbackOptions = new FallbackCallInvokerOptions();
        // GET routes (and methods marked idempotent) are safe to repeat after an ambiguous failure.
        fallbackOptions.Services.Add(VaultgrpcSampleShelvesReflection.Descriptor.Services[0]);
        var shelves = new Shelves.ShelvesClient(new FallbackCallInvoker(channel.CreateCallInvoker(), rest, fallbackOptions));

        using AsyncUnaryCall<Book> create = shelves.CreateBookAsync(
            new CreateBookRequest { Parent = "shelves/s-1", Book = new Book { Title = "Dune" } });
        Book created = await create; // POST /v1/shelves/s-1/books with the book as the body, if over REST
        string servedBy = (await create.ResponseHeadersAsync).GetValue(FallbackCallInvoker.TransportHeader)!;
        // "grpc", or "rest; fallback=grpc_not_served" and the like
        // README:fallback-invoker end

        using AsyncUnaryCall<SearchBooksResponse> search = shelves.SearchBooksAsync(new SearchBooksRequest { Parent = "shelves/s-1", Query = "dune" });
        SearchBooksResponse found = await search.ResponseAsync.WaitAsync(Bound);
        string searchServedBy = (await search.ResponseHeadersAsync).GetValue(FallbackCallInvoker.TransportHeader)!;
        return (created, servedBy, found, searchServedBy);
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
