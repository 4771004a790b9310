using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using static VaultGrpc.Testing.Admin.AdminJsonReader;

namespace VaultGrpc.Testing.Admin;

/// <summary>
/// A fault rule as the admin API takes it: the library's <see cref="Fault"/> vocabulary, flattened into one JSON object,
/// e.g. <c>{"fault":"status","code":"UNAVAILABLE","message":"try again","method":"get","transport":"rest","times":1}</c>.
/// </summary>
internal sealed record FaultRuleSpec(Fault Fault, OperationsMethod? Method, Transport? Transport, int? Times, double Probability)
{
    private static readonly string[] Fields =
    [
        "fault", "method", "transport", "times", "probability",
        "code", "message", "details", "delay", "http2ErrorCode", "body", "httpStatus", "retryAfter",
    ];

    public static FaultRuleSpec Parse(JsonElement rule, string prefix, JsonParser parser)
    {
        ExpectObject(rule, prefix.Length == 0 ? "body" : prefix);
        OnlyKnownFields(rule, prefix, Fields);
        FaultKind kind = AdminNames.Parse(AdminNames.FaultKinds, Join(prefix, "fault"), String(rule, prefix, "fault"));
        string? method = String(rule, prefix, "method");
        string? transport = String(rule, prefix, "transport");
        double probability = Double(rule, prefix, "probability") ?? 1.0;
        if (!(probability is > 0.0 and <= 1.0))
        {
            throw new AdminInputException(Join(prefix, "probability"), $"{Join(prefix, "probability")}: expected a number in (0, 1] (got {probability}).");
        }

        return new FaultRuleSpec(
            CreateFault(kind, rule, prefix, parser),
            method is null ? null : AdminNames.Parse(AdminNames.Methods, Join(prefix, "method"), method),
            transport is null ? null : AdminNames.Parse(AdminNames.Transports, Join(prefix, "transport"), transport),
            Int(rule, prefix, "times", 0, int.MaxValue),
            probability);
    }

    private static Fault CreateFault(FaultKind kind, JsonElement rule, string prefix, JsonParser parser)
    {
        switch (kind)
        {
            case FaultKind.Status:
                return new StatusFault(ReadStatus(rule, prefix, parser));
            case FaultKind.Latency:
                return Fault.Latency(Duration(rule, prefix, "delay") ?? throw Missing(prefix, "delay", "a latency fault"));
            case FaultKind.ResetStream:
                return Fault.ResetStream(Int(rule, prefix, "http2ErrorCode", 0, 0xd) ?? 2);
            case FaultKind.AbortConnection:
                return Fault.AbortConnection();
            case FaultKind.RestBody:
                return Fault.RestBody(
                    AdminNames.Parse(AdminNames.BodyKinds, Join(prefix, "body"), String(rule, prefix, "body")),
                    Int(rule, prefix, "httpStatus", 100, 599) ?? 200);
            case FaultKind.TooManyRequests:
                return Fault.TooManyRequests(Duration(rule, prefix, "retryAfter") ?? TimeSpan.FromSeconds(1));
            default:
                return Fault.Hang();
        }
    }

    /// <summary>The status and its details, read as the proto3 JSON of <c>google.rpc.Status</c> (details with <c>@type</c>).</summary>
    private static Google.Rpc.Status ReadStatus(JsonElement rule, string prefix, JsonParser parser)
    {
        string code = StringOrNumber(rule, prefix, "code") ?? throw Missing(prefix, "code", "a status fault");
        StatusCode parsed = AdminNames.ParseCode(Join(prefix, "code"), code);
        if (parsed == StatusCode.OK)
        {
            throw new AdminInputException(Join(prefix, "code"), $"{Join(prefix, "code")}: a status fault needs an error code, not OK.");
        }

        var status = new Google.Rpc.Status { Code = (int)parsed, Message = String(rule, prefix, "message") ?? $"Fault injected by the fake: {parsed}." };
        if (rule.TryGetProperty("details", out JsonElement details) && details.ValueKind != JsonValueKind.Null)
        {
            if (details.ValueKind != JsonValueKind.Array)
            {
                throw new AdminInputException(Join(prefix, "details"), $"{Join(prefix, "details")}: expected an array of objects with @type.");
            }

            int index = 0;
            foreach (JsonElement detail in details.EnumerateArray())
            {
                string field = $"{Join(prefix, "details")}[{index++}]";
                status.Details.Add(AdminProto.ParseAny(parser, detail, field));
            }
        }

        return status;
    }

    private static AdminInputException Missing(string prefix, string name, string what)
        => new(Join(prefix, name), $"{Join(prefix, name)}: required for {what}.");
}
