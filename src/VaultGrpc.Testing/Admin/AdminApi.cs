using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using VaultGrpc.LongRunning;
using VaultGrpc.Testing.Internal;
using static VaultGrpc.Testing.Admin.AdminJsonReader;

namespace VaultGrpc.Testing.Admin;

/// <summary>
/// The admin API: HTTP/JSON on its own loopback port, so tests in any language seed operations, switch modes, script
/// faults and read the journal. Every action goes through the fake's public library API (store, modes, fault script,
/// journal); this class only translates JSON.
/// </summary>
internal sealed class AdminApi
{
    private const int MaxBody = 4 * 1024 * 1024;
    private const int DefaultPage = 100;
    private const int MaxPage = 1000;

    private readonly FakeOperationsServer _fake;
    private readonly FakeServerState _state;
    private readonly JsonParser _parser;
    private readonly JsonFormatter _formatter;
    private readonly object _gate = new();
    private readonly Dictionary<FaultRule, (long Id, string? Spec)> _ruleIds = new(ReferenceEqualityComparer.Instance);
    private long _nextRuleId = 1;

    public AdminApi(FakeOperationsServer fake, FakeServerState state)
    {
        _fake = fake;
        _state = state;
        _parser = new JsonParser(JsonParser.Settings.Default.WithTypeRegistry(state.TypeRegistry));
        _formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithTypeRegistry(state.TypeRegistry));
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (AdminRequestOrigin.FindProblem(context.Request) is var (field, message))
        {
            await WriteErrorAsync(context, 403, field, message).ConfigureAwait(false);
            return;
        }

        try
        {
            byte[] body = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            await DispatchAsync(context, context.Request.Method, context.Request.Path.Value ?? "/", body).ConfigureAwait(false);
        }
        catch (AdminInputException e)
        {
            await WriteErrorAsync(context, e.HttpStatus, e.Field, e.Message).ConfigureAwait(false);
        }
    }

    private Task DispatchAsync(HttpContext context, string method, string path, byte[] body)
    {
        switch (path)
        {
            case "/v1/status" when HttpMethods.IsGet(method):
                return WriteAsync(context, 200, WriteStatus);
            case "/v1/reset" when HttpMethods.IsPost(method):
                Reset();
                return WriteAsync(context, 200, WriteStatus);
            case "/v1/operations" when HttpMethods.IsGet(method):
                return WriteAsync(context, 200, WriteOperations);
            case "/v1/operations" when HttpMethods.IsPost(method):
                IReadOnlyList<Operation> added = Seed(body);
                return WriteAsync(context, 201, json => WriteOperationList(json, added));
            case "/v1/operations" when HttpMethods.IsDelete(method):
                _fake.Store.Clear();
                return WriteAsync(context, 200, json => WriteCount(json, "operations", 0));
            case "/v1/operations:finish" when HttpMethods.IsPost(method):
                Operation finished = Finish(body);
                return WriteAsync(context, 200, json => AdminJsonWriter.WriteOperation(json, _formatter, finished));
            case "/v1/grpc-mode" when HttpMethods.IsGet(method):
                return WriteAsync(context, 200, WriteGrpcMode);
            case "/v1/grpc-mode" when HttpMethods.IsPut(method):
                SetGrpcMode(body);
                return WriteAsync(context, 200, WriteGrpcMode);
            case "/v1/rest" when HttpMethods.IsGet(method):
                return WriteAsync(context, 200, WriteRest);
            case "/v1/rest" when HttpMethods.IsPut(method):
                SetRest(body);
                return WriteAsync(context, 200, WriteRest);
            case "/v1/faults" when HttpMethods.IsGet(method):
                return WriteAsync(context, 200, WriteFaults);
            case "/v1/faults" when HttpMethods.IsPost(method):
                IReadOnlyList<(long Id, FaultRule Rule, string Spec)> rules = AddFaults(body);
                return WriteAsync(context, 201, json =>
                {
                    json.WriteStartObject();
                    json.WriteStartArray("faults");
                    foreach ((long id, FaultRule rule, string spec) in rules)
                    {
                        AdminJsonWriter.WriteRule(json, id, rule, spec);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                });
            case "/v1/faults" when HttpMethods.IsDelete(method):
                _fake.Faults.Clear();
                return WriteAsync(context, 200, json => WriteCount(json, "faults", 0));
            case "/v1/journal" when HttpMethods.IsGet(method):
                return WriteAsync(context, 200, json => WriteJournal(json, context.Request.Query));
            case "/v1/journal" when HttpMethods.IsDelete(method):
                _fake.Journal.Clear();
                return WriteAsync(context, 200, json => WriteCount(json, "entries", 0));
        }

        if (path.StartsWith("/v1/faults/", StringComparison.Ordinal) && HttpMethods.IsDelete(method))
        {
            RemoveFault(path["/v1/faults/".Length..]);
            return WriteAsync(context, 200, WriteFaults);
        }

        bool known = path is "/v1/status" or "/v1/reset" or "/v1/operations" or "/v1/operations:finish" or "/v1/grpc-mode" or "/v1/rest" or "/v1/faults" or "/v1/journal";
        return known
            ? WriteErrorAsync(context, 405, "method", $"{method} is not allowed on {path}; see the admin API table in the README.")
            : WriteErrorAsync(context, 404, "path", $"No admin endpoint {path}; they are under /v1/ (status, reset, operations, grpc-mode, rest, faults, journal).");
    }

    private void WriteStatus(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("grpc", _fake.GrpcAddress.ToString());
        json.WriteString("rest", _fake.RestAddress.ToString());
        AdminJsonWriter.WriteNullable(json, "restH2c", _fake.RestHttp2Address?.ToString());
        AdminJsonWriter.WriteNullable(json, "admin", _fake.AdminAddress?.ToString());
        json.WriteString("grpcMode", AdminNames.NameOf(AdminNames.Modes, _fake.GrpcMode));
        WriteMethods(json, "grpcUnimplementedMethods", _fake.GrpcUnimplementedMethods);
        json.WriteString("restErrorShape", AdminNames.NameOf(AdminNames.ErrorShapes, _fake.RestErrorShape));
        json.WriteBoolean("strictCancelBody", _fake.StrictCancelBody);
        json.WriteBoolean("requiresToken", _fake.RequiredBearerToken is not null);
        json.WriteNumber("operations", _fake.Store.Count);
        json.WriteNumber("faults", _fake.Faults.Rules.Count);
        json.WriteNumber("journalEntries", _fake.Journal.Entries.Count);
        json.WriteNumber("journalDropped", _fake.Journal.Dropped);
        json.WriteEndObject();
    }

    /// <summary>Back to the state at start: the options' modes and shapes, the seeded operations only, no faults, an empty journal.</summary>
    private void Reset()
    {
        FakeServerOptions options = _state.Options;
        _fake.Faults.Clear();
        _fake.Store.Clear();
        if (options.SeedRunningOperations > 0)
        {
            _fake.Store.AddRunning(options.SeedRunningOperations, "operations/seed-");
        }

        _fake.GrpcMode = options.GrpcMode;
        _fake.SetGrpcUnimplemented();
        _fake.RestErrorShape = options.RestErrorShape;
        _fake.StrictCancelBody = options.StrictCancelBody;
        _fake.Journal.Clear();
        lock (_gate)
        {
            _ruleIds.Clear();
        }
    }

    /// <summary>One operation (proto3 JSON of <c>google.longrunning.Operation</c>) or an array of them; all checked before any is added.</summary>
    private IReadOnlyList<Operation> Seed(byte[] body)
    {
        using JsonDocument document = AdminJsonReader.Parse(body);
        JsonElement root = document.RootElement;
        var operations = new List<Operation>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement element in root.EnumerateArray())
            {
                operations.Add(ReadOperation(element, $"[{index++}]"));
            }
        }
        else
        {
            operations.Add(ReadOperation(root, string.Empty));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Operation operation in operations)
        {
            if (!names.Add(operation.Name) || _fake.Store.Find(operation.Name) is not null)
            {
                throw new AdminInputException("name", $"name: the store already holds (or this request repeats) '{operation.Name}'; DELETE /v1/operations or POST /v1/reset first.", 409);
            }
        }

        foreach (Operation operation in operations)
        {
            _fake.Store.Add(operation);
        }

        return operations;
    }

    private Operation ReadOperation(JsonElement element, string prefix)
    {
        ExpectObject(element, prefix.Length == 0 ? "body" : prefix);
        string? name = String(element, prefix, "name");
        if (name is null || !name.StartsWith("operations/", StringComparison.Ordinal) || name.Length == "operations/".Length)
        {
            throw new AdminInputException(Join(prefix, "name"), $"{Join(prefix, "name")}: expected a name such as \"operations/export-1\" (got {AdminNames.Quote(name)}).");
        }

        Operation operation = AdminProto.Parse<Operation>(_parser, element, prefix.Length == 0 ? "operation" : prefix);
        if (!operation.Done && operation.ResultCase != Operation.ResultOneofCase.None)
        {
            string field = Join(prefix, operation.ResultCase == Operation.ResultOneofCase.Error ? "error" : "response");
            throw new AdminInputException(field, $"{field}: a running operation (done false or absent) has no result; set \"done\": true.");
        }

        if (operation.Done && operation.ResultCase == Operation.ResultOneofCase.None)
        {
            operation.Response = Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Protobuf.WellKnownTypes.Empty());
        }

        return operation;
    }

    /// <summary>Finishes a running operation: <c>{"name":…,"response":{…}}</c> or <c>{"name":…,"error":{…}}</c>, waking its waiters.</summary>
    private Operation Finish(byte[] body)
    {
        using JsonDocument document = AdminJsonReader.Parse(body);
        JsonElement root = document.RootElement;
        ExpectObject(root, "body");
        OnlyKnownFields(root, string.Empty, "name", "response", "error");
        string name = String(root, string.Empty, "name") ?? throw new AdminInputException("name", "name: required.");
        if (Has(root, "response") == Has(root, "error"))
        {
            throw new AdminInputException("response", "response: give exactly one of \"response\" and \"error\".");
        }

        if (_fake.Store.Find(name) is null)
        {
            throw new AdminInputException("name", $"name: the store holds no operation '{name}'.", 404);
        }

        if (Has(root, "error"))
        {
            _fake.Store.Fail(name, AdminProto.Parse<Google.Rpc.Status>(_parser, root.GetProperty("error"), "error"));
        }
        else
        {
            Google.Protobuf.WellKnownTypes.Any response = AdminProto.ParseAny(_parser, root.GetProperty("response"), "response");
            _fake.Store.Complete(name, response.Unpack(_state.TypeRegistry));
        }

        return _fake.Store.Find(name)!;
    }

    private void SetGrpcMode(byte[] body)
    {
        using JsonDocument document = AdminJsonReader.Parse(body);
        JsonElement root = document.RootElement;
        ExpectObject(root, "body");
        OnlyKnownFields(root, string.Empty, "mode", "unimplementedMethods");
        string? modeWord = String(root, string.Empty, "mode");
        GrpcServingMode? mode = modeWord is null ? null : AdminNames.Parse(AdminNames.Modes, "mode", modeWord);
        OperationsMethod[]? methods = null;
        if (root.TryGetProperty("unimplementedMethods", out JsonElement list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new AdminInputException("unimplementedMethods", "unimplementedMethods: expected an array such as [\"wait\", \"cancel\"].");
            }

            methods = list.EnumerateArray()
                .Select((item, i) => AdminNames.Parse(AdminNames.Methods, $"unimplementedMethods[{i}]", item.ValueKind == JsonValueKind.String ? item.GetString() : item.GetRawText()))
                .ToArray();
        }

        if (mode is null && methods is null)
        {
            throw new AdminInputException("mode", "mode: give \"mode\", \"unimplementedMethods\" or both.");
        }

        if (mode is GrpcServingMode newMode)
        {
            try
            {
                _fake.GrpcMode = newMode;
            }
            catch (InvalidOperationException e)
            {
                throw new AdminInputException("mode", $"mode: {e.Message} (vault-ops fake-server --grpc-mode {modeWord}).", 409);
            }
        }

        if (methods is not null)
        {
            _fake.SetGrpcUnimplemented(methods);
        }
    }

    private void WriteGrpcMode(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("mode", AdminNames.NameOf(AdminNames.Modes, _fake.GrpcMode));
        WriteMethods(json, "unimplementedMethods", _fake.GrpcUnimplementedMethods);
        json.WriteEndObject();
    }

    private void SetRest(byte[] body)
    {
        using JsonDocument document = AdminJsonReader.Parse(body);
        JsonElement root = document.RootElement;
        ExpectObject(root, "body");
        OnlyKnownFields(root, string.Empty, "errorShape", "strictCancelBody");
        string? shape = String(root, string.Empty, "errorShape");
        RestErrorShape? parsed = shape is null ? null : AdminNames.Parse(AdminNames.ErrorShapes, "errorShape", shape);
        bool? strict = Bool(root, string.Empty, "strictCancelBody");
        if (parsed is null && strict is null)
        {
            throw new AdminInputException("errorShape", "errorShape: give \"errorShape\", \"strictCancelBody\" or both.");
        }

        if (parsed is RestErrorShape value)
        {
            _fake.RestErrorShape = value;
        }

        if (strict is bool isStrict)
        {
            _fake.StrictCancelBody = isStrict;
        }
    }

    private void WriteRest(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("errorShape", AdminNames.NameOf(AdminNames.ErrorShapes, _fake.RestErrorShape));
        json.WriteBoolean("strictCancelBody", _fake.StrictCancelBody);
        json.WriteEndObject();
    }

    /// <summary>One rule or an array of rules; all checked before any is added, then added in order.</summary>
    private IReadOnlyList<(long Id, FaultRule Rule, string Spec)> AddFaults(byte[] body)
    {
        using JsonDocument document = AdminJsonReader.Parse(body);
        JsonElement root = document.RootElement;
        var specs = new List<(FaultRuleSpec Spec, string Text)>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement element in root.EnumerateArray())
            {
                specs.Add((FaultRuleSpec.Parse(element, $"[{index++}]", _parser), element.GetRawText()));
            }
        }
        else
        {
            specs.Add((FaultRuleSpec.Parse(root, string.Empty, _parser), root.GetRawText()));
        }

        var added = new List<(long, FaultRule, string)>();
        lock (_gate)
        {
            foreach ((FaultRuleSpec spec, string text) in specs)
            {
                FaultRule rule = _fake.Faults.Add(spec.Fault, spec.Method, spec.Transport, spec.Times, spec.Probability);
                long id = _nextRuleId++;
                _ruleIds[rule] = (id, text);
                added.Add((id, rule, text));
            }
        }

        return added;
    }

    private void RemoveFault(string idText)
    {
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out long id))
        {
            throw new AdminInputException("id", $"id: expected a rule id from GET /v1/faults (got '{idText}').");
        }

        FaultRule? rule;
        lock (_gate)
        {
            rule = _ruleIds.FirstOrDefault(pair => pair.Value.Id == id).Key;
        }

        if (rule is null || !_fake.Faults.Remove(rule))
        {
            throw new AdminInputException("id", $"id: no fault rule {id}.", 404);
        }
    }

    private void WriteFaults(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartArray("faults");
        foreach (FaultRule rule in _fake.Faults.Rules)
        {
            (long id, string? spec) = IdOf(rule);
            AdminJsonWriter.WriteRule(json, id, rule, spec);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A rule's id; rules added through the library get one the first time they are listed.</summary>
    private (long Id, string? Spec) IdOf(FaultRule rule)
    {
        lock (_gate)
        {
            if (!_ruleIds.TryGetValue(rule, out (long Id, string? Spec) known))
            {
                known = (_nextRuleId++, null);
                _ruleIds[rule] = known;
            }

            return known;
        }
    }

    /// <summary>Entries after sequence <c>after</c> (default 0), at most <c>pageSize</c> (default 100, at most 1000); optionally one transport or method.</summary>
    private void WriteJournal(Utf8JsonWriter json, IQueryCollection query)
    {
        long after = QueryNumber(query, "after", 0, long.MaxValue) ?? 0;
        int pageSize = (int)(QueryNumber(query, "pageSize", 1, MaxPage) ?? DefaultPage);
        Transport? transport = query.TryGetValue("transport", out var t) ? AdminNames.Parse(AdminNames.Transports, "transport", t.ToString()) : null;
        OperationsMethod? method = query.TryGetValue("method", out var m) ? AdminNames.Parse(AdminNames.Methods, "method", m.ToString()) : null;

        IReadOnlyList<JournalEntry> matching = _fake.Journal.Where(transport, method);
        List<JournalEntry> page = matching.Where(e => e.Sequence > after).Take(pageSize + 1).ToList();
        json.WriteStartObject();
        json.WriteStartArray("entries");
        foreach (JournalEntry entry in page.Take(pageSize))
        {
            AdminJsonWriter.WriteEntry(json, entry);
        }

        json.WriteEndArray();
        if (page.Count > pageSize)
        {
            // Pass it back as ?after= for the next page.
            json.WriteNumber("nextAfter", page[pageSize - 1].Sequence);
        }
        else
        {
            json.WriteNull("nextAfter");
        }

        json.WriteNumber("dropped", _fake.Journal.Dropped);
        json.WriteEndObject();
    }

    private static long? QueryNumber(IQueryCollection query, string name, long min, long max)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        string text = values.ToString();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max
            ? value
            : throw new AdminInputException(name, $"{name}: expected a whole number from {min} to {max} (got '{text}').");
    }

    private void WriteOperations(Utf8JsonWriter json) => WriteOperationList(json, _fake.Store.Snapshot());

    private void WriteOperationList(Utf8JsonWriter json, IReadOnlyList<Operation> operations)
    {
        json.WriteStartObject();
        json.WriteStartArray("operations");
        foreach (Operation operation in operations)
        {
            AdminJsonWriter.WriteOperation(json, _formatter, operation);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteMethods(Utf8JsonWriter json, string name, IEnumerable<OperationsMethod> methods)
    {
        json.WriteStartArray(name);
        foreach (OperationsMethod method in methods)
        {
            json.WriteStringValue(AdminNames.NameOf(AdminNames.Methods, method));
        }

        json.WriteEndArray();
    }

    private static void WriteCount(Utf8JsonWriter json, string name, int count)
    {
        json.WriteStartObject();
        json.WriteNumber(name, count);
        json.WriteEndObject();
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                throw new AdminInputException("body", $"body: larger than {MaxBody / (1024 * 1024)} MiB.", 413);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        // Relaxed: the admin API is read by people and test code, not embedded in HTML; "+" and "'" stay as they are.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        buffer.WriteByte((byte)'\n');
        context.Response.StatusCode = status;
        context.Response.ContentType = RestAnswers.JsonContentType;
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string field, string message)
        => WriteAsync(context, status, json =>
        {
            json.WriteStartObject();
            json.WritePropertyName("error");
            json.WriteStartObject();
            json.WriteNumber("code", status);
            json.WriteString("field", field);
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndObject();
        });
}
