// README:rest-invoker usings begin
using VaultGrpc;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.Tests.Sample; // your stub's namespace: the csharp_namespace of your .proto
// README:rest-invoker usings end
using Grpc.Net.Client;
using VaultGrpc.Tests.Invokers.Rest;
using static VaultGrpc.Tests.ClientBehaviour.FakeClients;

// Outside the VaultGrpc namespaces, as a user's code is, so the usings above (and the test's own
// below them) are all the sample has.
namespace ReadmeSamples;

/// <summary>
/// The README's "runtime fallback for any service with http annotations" sample (REST half), compiled
/// and run here; ReadmeSyncTests compares the README:rest-invoker region with README.md.
/// </summary>
public sealed class RestInvokerReadmeSampleTests
{
    [Fact]
    public async Task ReadmeSample_OwnStubOverRestInvoker_SameAnswerAsOverGrpc()
    {
        await using SampleShelvesHost host = await SampleShelvesHost.StartAsync();
        Uri restEndpoint = host.RestAddress;
        using GrpcChannel channel = GrpcChannel.ForAddress(host.GrpcAddress);

        // README:rest-invoker begin
        // Any generated stub whose methods carry google.api.http rules can run over REST:
        var options = new RestCallInvokerOptions { Credentials = VaultCredentials.None };
        options.Services.Add(VaultgrpcSampleShelvesReflection.Descriptor.Services[0]);
        using var rest = new RestCallInvoker(restEndpoint, options);

        var shelves = new Shelves.ShelvesClient(rest);
        SearchBooksResponse found = await shelves.SearchBooksAsync(
            new SearchBooksRequest { Parent = "shelves/s-1", Query = "dune", PageSize = 10 });
        // GET /v1/shelves/s-1/books:search?query=dune&pageSize=10
        // README:rest-invoker end

        SearchBooksResponse overGrpc = await new Shelves.ShelvesClient(channel).SearchBooksAsync(
            new SearchBooksRequest { Parent = "shelves/s-1", Query = "dune", PageSize = 10 }).ResponseAsync.WaitAsync(Bound);
        Assert.Equal(overGrpc, found);
        Assert.Equal("Found: dune", found.Books[0].Title);
    }
}
