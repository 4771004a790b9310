using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing;

namespace VaultGrpc.Tests.Testing;

/// <summary>The admin API over its own loopback port, driven with a plain HttpClient as a test in another language would.</summary>
[Trait("Category", "Reliability")]
public sealed class AdminApiTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private FakeOperationsServer _fake = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeOperationsServer.StartAsync(o =>
        {
            o.Hosting = FakeHosting.Sockets;
            o.AdminPort = 0;
            o.SeedRunningOperations = 2;
        }).WaitAsync(Bound);
        _admin = new HttpClient { BaseAddress = _fake.AdminAddress, Timeout = Bound };
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task SeedOperations_RunningDoneFailed_ServedOverBothTransports()
    {
        (HttpStatusCode status, JsonElement added) = await SendAsync(HttpMethod.Post, "/v1/operations", """
            [
              {"name":"operations/run","metadata":{"@type":"type.googleapis.com/google.protobuf.Struct","value":{"progress":40}}},
              {"name":"operations/ok","done":true,"response":{"@type":"type.googleapis.com/google.protobuf.StringValue","value":"exported"}},
              {"name":"operations/bad","done":true,"error":{"code":7,"message":"no access","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"DENIED"}]}}
            ]
            """);
        using GrpcChannel channel = _fake.CreateGrpcChannel();
        var grpc = new Operations.OperationsClient(channel);
        Operation ok = await grpc.GetOperationAsync(new GetOperationRequest { Name = "operations/ok" }).ResponseAsync.WaitAsync(Bound);
        using HttpClient rest = _fake.CreateRestClient();
        using JsonDocument bad = JsonDocument.Parse(await rest.GetStringAsync("/v1/operations/bad").WaitAsync(Bound));
        using JsonDocument run = JsonDocument.Parse(await rest.GetStringAsync("/v1/operations/run").WaitAsync(Bound));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(3, added.GetProperty("operations").GetArrayLength());
        Assert.Equal("exported", ok.Response.Unpack<Google.Protobuf.WellKnownTypes.StringValue>().Value);
        Assert.Equal(7, bad.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("DENIED", bad.RootElement.GetProperty("error").GetProperty("details")[0].GetProperty("reason").GetString());
        Assert.Equal(40, run.RootElement.GetProperty("metadata").GetProperty("value").GetProperty("progress").GetInt32());
        Assert.Equal(5, _fake.Store.Count);
    }

    [Theory]
    [InlineData("""{"name":"operations/x","response":{"@type":"type.googleapis.com/google.protobuf.StringValue","value":"x"}}""", "response")]
    [InlineData("""{"name":"jobs/x"}""", "name")]
    [InlineData("""{"done":true}""", "name")]
    [InlineData("""[{"name":"operations/a"},{"name":"operations/b","metadata":{"@type":"type.googleapis.com/acme.Unknown"}}]""", "[1]")]
    [InlineData("""{"name":"operations/x","colour":"red"}""", "operation")]
    [InlineData("""not json""", "body")]
    public async Task SeedOperations_BadInput_400NamingTheFieldAndNothingAdded(string body, string field)
    {
        (HttpStatusCode status, JsonElement answer) = await SendAsync(HttpMethod.Post, "/v1/operations", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, answer.GetProperty("error").GetProperty("field").GetString());
        Assert.StartsWith(field, answer.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(2, _fake.Store.Count);
    }

    [Fact]
    public async Task SeedOperations_NameTaken_409()
    {
        (HttpStatusCode status, JsonElement answer) = await SendAsync(HttpMethod.Post, "/v1/operations", """{"name":"operations/seed-00000"}""");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("name", answer.GetProperty("error").GetProperty("field").GetString());
    }

    [Fact]
    public async Task FinishOperation_Running_DoneWithResponseAndWaitersSeeIt()
    {
        (HttpStatusCode status, JsonElement answer) = await SendAsync(HttpMethod.Post, "/v1/operations:finish", """
            {"name":"operations/seed-00001","response":{"@type":"type.googleapis.com/google.protobuf.StringValue","value":"done"}}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(answer.GetProperty("done").GetBoolean());
        Assert.Equal("done", _fake.Store.Find("operations/seed-00001")!.Response.Unpack<Google.Protobuf.WellKnownTypes.StringValue>().Value);
    }

    [Theory]
    [InlineData("unimplemented", StatusCode.Unimplemented)]
    [InlineData("gateway-503", StatusCode.Unavailable)]
    [InlineData("html-login-page", StatusCode.Cancelled)]
    [InlineData("serve", StatusCode.OK)]
    public async Task PutGrpcMode_EachRunTimeMode_StubSeesIt(string mode, StatusCode expected)
    {
        (HttpStatusCode status, JsonElement answer) = await SendAsync(HttpMethod.Put, "/v1/grpc-mode", $$"""{"mode":"{{mode}}"}""");
        StatusCode seen = await GrpcGetAsync("operations/seed-00000");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(mode, answer.GetProperty("mode").GetString());
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task PutGrpcMode_UnimplementedMethods_OnlyThoseUnimplemented()
    {
        (HttpStatusCode status, _) = await SendAsync(HttpMethod.Put, "/v1/grpc-mode", """{"unimplementedMethods":["get","wait"]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(StatusCode.Unimplemented, await GrpcGetAsync("operations/seed-00000"));
        Assert.Equal([OperationsMethod.Get, OperationsMethod.Wait], _fake.GrpcUnimplementedMethods);
    }

    [Theory]
    [InlineData("""{"mode":"sleepy"}""", "mode", HttpStatusCode.BadRequest)]
    [InlineData("""{"unimplementedMethods":["get","pause"]}""", "unimplementedMethods[1]", HttpStatusCode.BadRequest)]
    [InlineData("""{}""", "mode", HttpStatusCode.BadRequest)]
    [InlineData("""{"mode":"not-listening"}""", "mode", HttpStatusCode.Conflict)]
    public async Task PutGrpcMode_BadOrImpossible_ErrorNamingTheField(string body, string field, HttpStatusCode expected)
    {
        (HttpStatusCode status, JsonElement answer) = await SendAsync(HttpMethod.Put, "/v1/grpc-mode", body);

        Assert.Equal(expected, status);
        Assert.Equal(field, answer.GetProperty("error").GetProperty("field").GetString());
        Assert.Equal(GrpcServingMode.Serve, _fake.GrpcMode);
    }

    [Fact]
    public async Task PutRest_BareStatusAndStrict_RestAnswersChange()
    {
        (HttpStatusCode status, _) = await SendAsync(HttpMethod.Put, "/v1/rest", """{"errorShape":"bare-status","strictCancelBody":true}""");
        using HttpClient rest = _fake.CreateRestClient();
        using HttpResponseMessage cancel = await rest.PostAsync("/v1/operations/seed-00000:cancel", new StringContent("{}", Encoding.UTF8, "application/json")).WaitAsync(Bound);
        using JsonDocument body = JsonDocument.Parse(await cancel.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.BadRequest, cancel.StatusCode);
        Assert.Equal(3, body.RootElement.GetProperty("code").GetInt32());
        Assert.True(_fake.StrictCancelBody);
    }

    [Fact]
    public async Task PostFaults_StatusWithDetailsOnceOverRest_AnsweredOnceThenServedAndListed()
    {
        (HttpStatusCode status, JsonElement added) = await SendAsync(HttpMethod.Post, "/v1/faults", """
            {"fault":"status","code":"UNAVAILABLE","message":"try again","method":"get","transport":"rest","times":1,
             "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2s"}]}
            """);
        using HttpClient rest = _fake.CreateRestClient();
        using HttpResponseMessage first = await rest.GetAsync("/v1/operations/seed-00000").WaitAsync(Bound);
        using JsonDocument firstBody = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        using HttpResponseMessage second = await rest.GetAsync("/v1/operations/seed-00000").WaitAsync(Bound);
        (_, JsonElement listed) = await SendAsync(HttpMethod.Get, "/v1/faults");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("2s", firstBody.RootElement.GetProperty("error").GetProperty("details")[0].GetProperty("retryDelay").GetString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        JsonElement rule = listed.GetProperty("faults")[0];
        Assert.Equal(added.GetProperty("faults")[0].GetProperty("id").GetInt64(), rule.GetProperty("id").GetInt64());
        Assert.Equal((1, 0), (rule.GetProperty("hits").GetInt32(), rule.GetProperty("remaining").GetInt32()));
    }

    [Fact]
    public async Task PostFaults_TooManyRequestsOverRest_429WithRetryAfter()
    {
        await SendAsync(HttpMethod.Post, "/v1/faults", """{"fault":"too-many-requests","retryAfter":"3s","transport":"rest"}""");
        using HttpClient rest = _fake.CreateRestClient();

        using HttpResponseMessage response = await rest.GetAsync("/v1/operations/seed-00000").WaitAsync(Bound);

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task PostFaults_EveryKind_AllAddedInOrder()
    {
        (HttpStatusCode status, JsonElement added) = await SendAsync(HttpMethod.Post, "/v1/faults", """
            [{"fault":"latency","delay":"0.01s"},{"fault":"reset-stream","http2ErrorCode":7},{"fault":"abort-connection","method":"delete"},
             {"fault":"rest-body","body":"html","httpStatus":502},{"fault":"hang","method":"wait","probability":0.5},{"fault":"status","code":14,"times":3}]
            """);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(
            [FaultKind.Latency, FaultKind.ResetStream, FaultKind.AbortConnection, FaultKind.RestBody, FaultKind.Hang, FaultKind.Status],
            _fake.Faults.Rules.Select(r => r.Fault.Kind));
        Assert.Equal(6, added.GetProperty("faults").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"fault":"status","code":"SORTA_BAD"}""", "code")]
    [InlineData("""{"fault":"status"}""", "code")]
    [InlineData("""{"fault":"explode"}""", "fault")]
    [InlineData("""{"fault":"latency","delay":"soon"}""", "delay")]
    [InlineData("""{"fault":"hang","probability":2}""", "probability")]
    [InlineData("""{"fault":"hang","methd":"get"}""", "methd")]
    [InlineData("""[{"fault":"hang"},{"fault":"rest-body","body":"gzip"}]""", "[1].body")]
    [InlineData("""{"fault":"status","code":"UNAVAILABLE","details":[{"retryDelay":"1s"}]}""", "details[0]")]
    public async Task PostFaults_BadInput_400NamingTheFieldAndNoneAdded(string body, string field)
    {
        (HttpStatusCode status, JsonElement answer) = await SendAsync(HttpMethod.Post, "/v1/faults", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, answer.GetProperty("error").GetProperty("field").GetString());
        Assert.Empty(_fake.Faults.Rules);
    }

    [Fact]
    public async Task DeleteFault_ById_OnlyThatOneRemoved()
    {
        (_, JsonElement added) = await SendAsync(HttpMethod.Post, "/v1/faults", """[{"fault":"hang"},{"fault":"abort-connection"}]""");
        long first = added.GetProperty("faults")[0].GetProperty("id").GetInt64();

        (HttpStatusCode status, _) = await SendAsync(HttpMethod.Delete, $"/v1/faults/{first}");
        (HttpStatusCode again, _) = await SendAsync(HttpMethod.Delete, $"/v1/faults/{first}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.NotFound, again);
        Assert.Equal(FaultKind.AbortConnection, Assert.Single(_fake.Faults.Rules).Fault.Kind);
    }

    [Fact]
    public async Task GetJournal_Paged_EveryEntryOnceInOrder()
    {
        using HttpClient rest = _fake.CreateRestClient();
        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage response = await rest.GetAsync("/v1/operations/seed-00000").WaitAsync(Bound);
        }

        var sequences = new List<long>();
        long after = 0;
        int pages = 0;
        while (true)
        {
            (HttpStatusCode status, JsonElement page) = await SendAsync(HttpMethod.Get, $"/v1/journal?pageSize=2&after={after}&transport=rest");
            Assert.Equal(HttpStatusCode.OK, status);
            pages++;
            foreach (JsonElement entry in page.GetProperty("entries").EnumerateArray())
            {
                Assert.Equal(("rest", "get", "operations/seed-00000", "OK"), (entry.GetProperty("transport").GetString(), entry.GetProperty("method").GetString(), entry.GetProperty("operationName").GetString(), entry.GetProperty("status").GetString()));
                sequences.Add(entry.GetProperty("sequence").GetInt64());
            }

            if (page.GetProperty("nextAfter").ValueKind == JsonValueKind.Null)
            {
                break;
            }

            after = page.GetProperty("nextAfter").GetInt64();
        }

        Assert.Equal(3, pages);
        Assert.Equal(_fake.Journal.Entries.Select(e => e.Sequence), sequences);
    }

    [Fact]
    public async Task GetJournal_BadQuery_400NamingParameter()
    {
        (HttpStatusCode status, JsonElement answer) = await SendAsync(HttpMethod.Get, "/v1/journal?pageSize=0");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("pageSize", answer.GetProperty("error").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Reset_AfterChanges_BackToTheStartState()
    {
        await SendAsync(HttpMethod.Post, "/v1/operations", """{"name":"operations/extra"}""");
        await SendAsync(HttpMethod.Put, "/v1/grpc-mode", """{"mode":"unimplemented","unimplementedMethods":["get"]}""");
        await SendAsync(HttpMethod.Put, "/v1/rest", """{"errorShape":"bare-status"}""");
        await SendAsync(HttpMethod.Post, "/v1/faults", """{"fault":"hang"}""");

        (HttpStatusCode status, JsonElement state) = await SendAsync(HttpMethod.Post, "/v1/reset");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("serve", "aip193", 2, 0, 0), (state.GetProperty("grpcMode").GetString(), state.GetProperty("restErrorShape").GetString(), state.GetProperty("operations").GetInt32(), state.GetProperty("faults").GetInt32(), state.GetProperty("journalEntries").GetInt32()));
        Assert.Empty(_fake.GrpcUnimplementedMethods);
        Assert.NotNull(_fake.Store.Find("operations/seed-00001"));
    }

    [Fact]
    public async Task Status_Always_NamesEveryAddress()
    {
        (HttpStatusCode status, JsonElement state) = await SendAsync(HttpMethod.Get, "/v1/status");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(_fake.GrpcAddress.ToString(), state.GetProperty("grpc").GetString());
        Assert.Equal(_fake.RestAddress.ToString(), state.GetProperty("rest").GetString());
        Assert.Equal(_fake.AdminAddress!.ToString(), state.GetProperty("admin").GetString());
        Assert.Empty(_fake.Journal.Entries);
    }

    [Theory]
    [InlineData("GET", "/v1/nothing", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/v1/status", HttpStatusCode.MethodNotAllowed)]
    public async Task UnknownEndpointOrMethod_JsonError(string method, string path, HttpStatusCode expected)
    {
        (HttpStatusCode status, JsonElement answer) = await SendAsync(new HttpMethod(method), path);

        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task StartAsync_AdminPortInMemory_RefusedNamingTheOption()
    {
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => FakeOperationsServer.StartAsync(o => o.AdminPort = 0));

        Assert.Contains("AdminPort needs FakeHosting.Sockets", error.Message);
    }

    private async Task<StatusCode> GrpcGetAsync(string name)
    {
        using GrpcChannel channel = _fake.CreateGrpcChannel();
        try
        {
            await new Operations.OperationsClient(channel).GetOperationAsync(new GetOperationRequest { Name = name }, deadline: DateTime.UtcNow.Add(Bound)).ResponseAsync;
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    [Theory]
    [InlineData("Origin", "http://attacker.example")]
    [InlineData("Origin", "null")]
    [InlineData("Host", "rebound.attacker.example")]
    public async Task Reset_FromAWebPageOrForAForeignHost_RefusedAndNothingChanged(string header, string value)
    {
        _fake.Store.AddRunning("operations/kept");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/reset")
        {
            // What a page can send cross-site without a preflight: a text/plain POST.
            Content = new StringContent("{}", Encoding.UTF8, "text/plain"),
        };
        request.Headers.TryAddWithoutValidation(header, value);

        using HttpResponseMessage response = await _admin.SendAsync(request).WaitAsync(Bound);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(header.ToLowerInvariant(), answer.RootElement.GetProperty("error").GetProperty("field").GetString());
        Assert.Equal(3, _fake.Store.Count);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://localhost:3000")]
    [InlineData("http://[::1]")]
    public async Task Status_FromALoopbackOrigin_Served(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/status");
        request.Headers.TryAddWithoutValidation("Origin", origin);

        using HttpResponseMessage response = await _admin.SendAsync(request).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage response = await _admin.SendAsync(request).WaitAsync(Bound);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
