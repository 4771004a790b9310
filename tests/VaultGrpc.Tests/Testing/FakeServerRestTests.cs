using System.Net;
using System.Text;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Testing;

/// <summary>The transcoded REST routes through a plain HttpClient, in both hostings and both HTTP versions.</summary>
public sealed class FakeServerRestTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<FakeHosting, bool> HostingsAndVersions => new()
    {
        { FakeHosting.InMemory, false },
        { FakeHosting.InMemory, true },
        { FakeHosting.Sockets, false },
        { FakeHosting.Sockets, true },
    };

    [Theory]
    [MemberData(nameof(HostingsAndVersions))]
    public async Task Get_SeededOperation_Proto3Json(FakeHosting hosting, bool http2)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        fake.Store.AddDone("operations/e1", new StringValue { Value = "ok" });
        using HttpClient http = fake.CreateRestClient(http2);

        using HttpResponseMessage response = await http.GetAsync("/v1/operations/e1").WaitAsync(Bound);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(http2 ? new Version(2, 0) : new Version(1, 1), response.Version);
        Assert.Equal("operations/e1", json.RootElement.GetProperty("name").GetString());
        Assert.True(json.RootElement.GetProperty("done").GetBoolean());
        Assert.Equal("type.googleapis.com/google.protobuf.StringValue", json.RootElement.GetProperty("response").GetProperty("@type").GetString());
        Assert.Equal(http2 ? "HTTP/2" : "HTTP/1.1", fake.Journal.Last!.Protocol);
    }

    [Theory]
    [MemberData(nameof(HostingsAndVersions))]
    public async Task Cancel_EmptyBody_RunningBecomesCancelled(FakeHosting hosting, bool http2)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        fake.Store.AddRunning("operations/run");
        using HttpClient http = fake.CreateRestClient(http2);

        using HttpResponseMessage response = await http.PostAsync("/v1/operations/run:cancel", content: null).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", (await response.Content.ReadAsStringAsync()).Trim());
        Assert.Equal(1, fake.Store.Find("operations/run")!.Error.Code);
    }

    [Theory]
    [MemberData(nameof(HostingsAndVersions))]
    public async Task Cancel_EmptyObjectBody_CancelledAndJournaledAsEmptyObject(FakeHosting hosting, bool http2)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        fake.Store.AddRunning("operations/run");
        using HttpClient http = fake.CreateRestClient(http2);

        using HttpResponseMessage response = await http.PostAsync("/v1/operations/run:cancel", new StringContent(" { } ", Encoding.UTF8, "application/json")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, fake.Store.Find("operations/run")!.Error.Code);
        Assert.Equal(RequestBodyShape.EmptyObject, fake.Journal.Last!.BodyShape);
    }

    [Theory]
    [MemberData(nameof(HostingsAndVersions))]
    public async Task Cancel_BodyWithFields_InvalidArgumentNamingFieldAndNotCancelled(FakeHosting hosting, bool http2)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = hosting).WaitAsync(Bound);
        fake.Store.AddRunning("operations/run");
        using HttpClient http = fake.CreateRestClient(http2);

        using HttpResponseMessage response = await http.PostAsync("/v1/operations/run:cancel", new StringContent("{\"name\":\"operations/run\"}", Encoding.UTF8, "application/json")).WaitAsync(Bound);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = json.RootElement.GetProperty("error");
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("status").GetString());
        Assert.Contains("\"name\"", error.GetProperty("message").GetString());
        Assert.False(fake.Store.Find("operations/run")!.Done);
        Assert.Equal(RequestBodyShape.Fields, fake.Journal.Last!.BodyShape);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{} {}")]
    public async Task Cancel_BodyNotAnObject_InvalidArgument(string body)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning("operations/run");
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.PostAsync("/v1/operations/run:cancel", new StringContent(body, Encoding.UTF8, "application/json")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(RequestBodyShape.Other, fake.Journal.Last!.BodyShape);
        Assert.False(fake.Store.Find("operations/run")!.Done);
    }

    [Fact]
    public async Task Cancel_StrictAndEmptyObject_InvalidArgumentBodyMustBeEmpty()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.StrictCancelBody = true).WaitAsync(Bound);
        fake.Store.AddRunning("operations/run");
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.PostAsync("/v1/operations/run:cancel", new StringContent("{}", Encoding.UTF8, "application/json")).WaitAsync(Bound);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The request body must be empty.", json.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.False(fake.Store.Find("operations/run")!.Done);
    }

    [Fact]
    public async Task Cancel_StrictSwitchedAtRunTimeAndNoBody_Cancelled()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.StrictCancelBody = true;
        fake.Store.AddRunning("operations/run");
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.PostAsync("/v1/operations/run:cancel", content: null).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(fake.Store.Find("operations/run")!.Done);
        Assert.Equal(RequestBodyShape.None, fake.Journal.Last!.BodyShape);
    }

    [Theory]
    [InlineData("operations/a b", "/v1/operations/a%20b")]
    [InlineData("operations/100%", "/v1/operations/100%25")]
    [InlineData("operations/q?x=1#f", "/v1/operations/q%3Fx%3D1%23f")]
    [InlineData("operations/é/ü", "/v1/operations/%C3%A9/%C3%BC")]
    [InlineData("operations/a%2Fb", "/v1/operations/a%252Fb")]
    [InlineData("operations/x:y", "/v1/operations/x%3Ay")]
    public async Task Get_PercentEncodedName_ServiceGetsDecodedName(string name, string path)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync(o => o.Hosting = FakeHosting.Sockets).WaitAsync(Bound);
        fake.Store.AddRunning(name);
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.GetAsync(path).WaitAsync(Bound);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(name, json.RootElement.GetProperty("name").GetString());
        Assert.Equal(name, fake.Journal.Last!.OperationName);
        Assert.Equal(path, fake.Journal.Last!.RawPath);
    }

    [Theory]
    [InlineData("operations/a b", "/v1/operations/a%20b:cancel")]
    [InlineData("operations/deep/er/name", "/v1/operations/deep/er/name:cancel")]
    [InlineData("operations/100%", "/v1/operations/100%25:cancel")]
    public async Task Cancel_PercentEncodedMultiSegmentName_CancelsThatOperation(string name, string path)
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning(name);
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.PostAsync(path, content: null).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(fake.Store.Find(name)!.Done);
        Assert.Equal(name, fake.Journal.Last!.OperationName);
    }

    [Fact]
    public async Task Delete_Existing_RemovedThenNotFound()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning("operations/d");
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage first = await http.DeleteAsync("/v1/operations/d").WaitAsync(Bound);
        using HttpResponseMessage second = await http.DeleteAsync("/v1/operations/d").WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal(0, fake.Store.Count);
    }

    [Fact]
    public async Task List_PageSizeAndTokenInQuery_WalksAllPages()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.Store.AddRunning(5);
        using HttpClient http = fake.CreateRestClient();
        var names = new List<string>();
        string token = string.Empty;

        do
        {
            using HttpResponseMessage response = await http.GetAsync($"/v1/operations?pageSize=2&pageToken={Uri.EscapeDataString(token)}").WaitAsync(Bound);
            using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            names.AddRange(json.RootElement.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("name").GetString()!));
            token = json.RootElement.TryGetProperty("nextPageToken", out JsonElement next) ? next.GetString()! : string.Empty;
        }
        while (token.Length > 0);

        Assert.Equal(fake.Store.Snapshot().Select(o => o.Name), names);
        Assert.Equal(3, fake.Journal.Count(Transport.Rest, OperationsMethod.List));
    }

    [Fact]
    public async Task Get_Unknown_Aip193EnvelopeByDefault()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.GetAsync("/v1/operations/none").WaitAsync(Bound);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        JsonElement error = json.RootElement.GetProperty("error");
        Assert.Equal(404, error.GetProperty("code").GetInt32());
        Assert.Equal("NOT_FOUND", error.GetProperty("status").GetString());
        Assert.Contains("operations/none", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, error.GetProperty("details").ValueKind);
        Assert.Equal(StatusCode.NotFound, fake.Journal.Last!.Status);
    }

    [Fact]
    public async Task Get_Unknown_BareStatusWhenSwitched()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        fake.RestErrorShape = RestErrorShape.BareStatus;
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.GetAsync("/v1/operations/none").WaitAsync(Bound);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(5, json.RootElement.GetProperty("code").GetInt32());
        Assert.Contains("operations/none", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, json.RootElement.GetProperty("details").GetArrayLength());
        Assert.False(json.RootElement.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task List_BadPageToken_InvalidArgument()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.GetAsync("/v1/operations?pageToken=garbage!").WaitAsync(Bound);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", json.RootElement.GetProperty("error").GetProperty("status").GetString());
    }

    [Fact]
    public async Task List_NonNumericPageSize_TranscoderErrorReshapedToAip193()
    {
        await using FakeOperationsServer fake = await FakeOperationsServer.StartAsync().WaitAsync(Bound);
        using HttpClient http = fake.CreateRestClient();

        using HttpResponseMessage response = await http.GetAsync("/v1/operations?pageSize=many").WaitAsync(Bound);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", json.RootElement.GetProperty("error").GetProperty("status").GetString());
    }
}
