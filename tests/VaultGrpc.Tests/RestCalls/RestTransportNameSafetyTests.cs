using System.Net;
using VaultGrpc.Internal;
using VaultGrpc.Internal.RestCalls;
using VaultGrpc.Tests.Naming;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>Bad names never reach the wire, whether they come through the facade or straight to the transport.</summary>
public sealed class RestTransportNameSafetyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<string?, string, string> BadNames => OperationNameRulesTests.BadNames;

    [Theory]
    [MemberData(nameof(BadNames), DisableDiscoveryEnumeration = true)]
    public async Task Transport_BadName_ArgumentExceptionAndNoRequest(string? name, string quotedValue, string rule)
    {
        var handler = StubHttpHandler.Answering(HttpStatusCode.OK, "{}");
        using RestTransport transport = RestTransports.Over(handler);
        var scope = new CallScope(null, CancellationToken.None);

        foreach (Func<Task> call in new Func<Task>[]
        {
            () => transport.CancelAsync(name!, scope),
            () => transport.GetAsync(name!, scope),
            () => transport.DeleteAsync(name!, scope),
        })
        {
            ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => call().WaitAsync(Bound));
            Assert.Contains(quotedValue, error.Message, StringComparison.Ordinal);
            Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(BadNames), DisableDiscoveryEnumeration = true)]
    public async Task Facade_RestOnlyBadName_ArgumentExceptionBeforeAnyRequest(string? name, string quotedValue, string rule)
    {
        var restHandler = StubHttpHandler.Answering(HttpStatusCode.OK, "{}");
        using VaultOperationsClient client = VaultOperationsClient.Create(options =>
        {
            options.Endpoint = new Uri("http://127.0.0.1:1");
            options.Credentials = VaultCredentials.None;
            options.RestHttpHandler = restHandler;
            options.TransportMode = TransportMode.RestOnly;
        });

        foreach (Func<Task> call in new Func<Task>[]
        {
            () => client.CancelAsync(name!),
            () => client.GetAsync(name!),
            () => client.DeleteAsync(name!),
        })
        {
            ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => call().WaitAsync(Bound));
            Assert.Equal("name", error.ParamName);
            Assert.Contains(quotedValue, error.Message, StringComparison.Ordinal);
            Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(restHandler.Requests);
    }

    [Fact]
    public async Task ListAsync_OtherCollection_ArgumentExceptionAndNoRequest()
    {
        var handler = StubHttpHandler.Answering(HttpStatusCode.OK, "{}");
        using RestTransport transport = RestTransports.Over(handler);

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() =>
            transport.ListAsync(new VaultGrpc.LongRunning.ListOperationsRequest { Name = "operations/../matters" }, new CallScope(null, CancellationToken.None)).WaitAsync(Bound));

        Assert.Contains("'operations/../matters'", error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }
}
