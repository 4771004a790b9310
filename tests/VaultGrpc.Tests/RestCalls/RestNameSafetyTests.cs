using System.Net;
using VaultGrpc.Tests.Naming;

namespace VaultGrpc.Tests.RestCalls;

/// <summary>Bad names never reach the wire, whether they come through the facade or straight to the stub over RestCallInvoker.</summary>
[Trait("Category", "Reliability")]
public sealed class RestNameSafetyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<string?, string, string> BadNames => OperationNameRulesTests.BadNames;

    // Enumerated at run time: xunit would otherwise serialize the rows and turn unpaired surrogates into U+FFFD.
    /// <summary>Names the invoker refuses on its own (the route is operations/**), and a fragment of its reason.</summary>
    public static TheoryData<string, string> PathChangingNames => new()
    {
        { "", "is empty or white space" },
        { " \t", "is empty or white space" },
        { "operations/../matters/x", "'..' segment" },
        { "operations/./x", "'.' segment" },
        { "operations/..", "'..' segment" },
        { "operations/x/./y", "'.' segment" },
        { "operations//x", "empty segment" },
        { "operations/", "empty segment" },
        { "/operations/x", "empty segment" },
        { "matters/1", "does not match the route's pattern 'operations/**'" },
        { "operations", "does not match the route's pattern 'operations/**'" },
        { "Operations/x", "does not match the route's pattern 'operations/**'" },
        { "operations:cancel", "does not match the route's pattern 'operations/**'" },
        { "https://vault.googleapis.com/v1/operations/x", "empty segment" },
        { "operations/a\tb", "U+0009" },
        { "operations/a\u202Eb", "U+202E" },
        { "operations/a\uD800b", "unpaired surrogate" },
        { "operations/" + new string('a', 5000), "at most 4096" },
    };

    [Theory]
    [MemberData(nameof(PathChangingNames), DisableDiscoveryEnumeration = true)]
    public async Task Invoker_PathChangingName_ArgumentExceptionAndNoRequest(string name, string problem)
    {
        var handler = StubHttpHandler.Answering(HttpStatusCode.OK, "{}");
        using RestStub rest = RestStub.Over(handler);

        foreach (Func<Task> call in new Func<Task>[]
        {
            () => rest.CancelAsync(name),
            () => rest.GetAsync(name),
            () => rest.DeleteAsync(name),
        })
        {
            ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => call().WaitAsync(Bound));
            Assert.Equal("name", error.ParamName);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
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
    public async Task ListOperations_OtherCollection_ArgumentExceptionAndNoRequest()
    {
        var handler = StubHttpHandler.Answering(HttpStatusCode.OK, "{}");
        using RestStub rest = RestStub.Over(handler);

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() =>
            rest.ListAsync(new VaultGrpc.LongRunning.ListOperationsRequest { Name = "operations/../matters" }).WaitAsync(Bound));

        Assert.Contains("'operations/../matters'", error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }
}
