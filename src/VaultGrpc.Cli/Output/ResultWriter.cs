using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using VaultGrpc.Cli.Bulk;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Cli.Output;

/// <summary>
/// Writes results to standard output, one line each, as text or JSON; safe to call from many
/// threads. Every message passes through the redactor, so a token never reaches the output, and
/// then through <see cref="TerminalText"/>, so that nothing a server says can add a line or drive
/// the terminal: one result is always exactly one line (JSON lines stay valid JSON).
/// </summary>
internal sealed class ResultWriter(TextWriter output, OutputFormat format, SecretRedactor redactor)
{
    private static readonly JsonSerializerOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_successBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_successWriter;

    private readonly object _writeLock = new();

    /// <summary>Cleared before each line when the progress bar shares the terminal with the output.</summary>
    public ProgressBar? SharedTerminalBar { get; set; }

    /// <summary>The output format.</summary>
    public OutputFormat Format => format;

    /// <summary>The result of one call on one name; <paramref name="pastTense"/> says what succeeded ("cancelled").</summary>
    public void WriteOutcome(CallOutcome outcome, string pastTense)
    {
        string line = format == OutputFormat.Json ? OutcomeJson(outcome) : OutcomeText(outcome, pastTense);
        WriteLine(redactor.Redact(line));
    }

    /// <summary>
    /// A plain call on <paramref name="name"/> that succeeded: the line <see cref="WriteOutcome"/> writes
    /// for it, made without an outcome object, as most lines of a bulk run are these.
    /// </summary>
    public void WriteSuccess(string name, VaultCallInfo call, string pastTense)
    {
        string line = format == OutputFormat.Json
            ? SuccessJson(name, call)
            : string.Concat(pastTense, " ", name, " ", ServedByText.Of(call));
        WriteLine(redactor.Redact(line));
    }

    /// <summary>An operation: proto3 JSON, or a line for people.</summary>
    public void WriteOperation(Operation operation) =>
        WriteLine(redactor.Redact(format == OutputFormat.Json ? OperationFormatter.ToJson(operation) : OperationFormatter.ToText(operation)));

    /// <summary>Text mode only: a line saying how the call was served (JSON lines of operations carry only the operation).</summary>
    public void WriteServedBy(VaultCallInfo call)
    {
        if (format == OutputFormat.Text)
        {
            WriteLine(redactor.Redact("  " + ServedBy(call)));
        }
    }

    /// <summary>"via grpc" or "via rest (fallback: reason)".</summary>
    internal static string ServedBy(VaultCallInfo call) => ServedByText.Of(call);

    private static string OutcomeText(CallOutcome outcome, string pastTense) => outcome switch
    {
        { Confirmed: { } confirmed } => ConfirmedText(outcome, confirmed),
        { Ok: true } => $"{pastTense} {outcome.Name} {ServedBy(outcome.Call!)}",
        { OutcomeUnknown: true } => $"UNKNOWN {outcome.Name}: {outcome.ErrorCode}: may have been executed, not sent again (check with get): {outcome.ErrorMessage}",
        _ => $"FAILED {outcome.Name}: {outcome.ErrorCode}: {outcome.ErrorMessage}",
    };

    /// <summary>One line per confirmed cancel: what became of the operation, and how the last call was served.</summary>
    private static string ConfirmedText(CallOutcome outcome, VaultCancelResult confirmed)
    {
        string via = outcome.Call is null ? string.Empty : " " + ServedBy(outcome.Call);
        return confirmed.Outcome switch
        {
            VaultCancelOutcome.Cancelled => $"cancelled {outcome.Name} (confirmed){via}",
            VaultCancelOutcome.CompletedAnyway => $"COMPLETED {outcome.Name}: completed before the cancel took effect{via}",
            VaultCancelOutcome.FailedOtherwise => $"FAILED {outcome.Name}: ended with {outcome.ErrorCode}, not cancelled: {outcome.ErrorMessage}{via}",
            VaultCancelOutcome.StillRunning => $"STILL RUNNING {outcome.Name}: cancel accepted, not done at the confirm timeout{via}",
            VaultCancelOutcome.NotFound => $"NOT FOUND {outcome.Name}: {outcome.ErrorMessage}",
            _ => $"NOT SUPPORTED {outcome.Name}: the server does not support cancel ({outcome.ErrorCode}): {outcome.ErrorMessage}",
        };
    }

    private static string OutcomeJson(CallOutcome outcome)
    {
        var json = new JsonObject { ["name"] = outcome.Name, ["ok"] = outcome.Ok };
        if (outcome.Confirmed is { } confirmed)
        {
            json["outcome"] = CancelOutcomeNames.Of(confirmed.Outcome);
            json["done"] = confirmed.Operation?.Done;
            json["transport"] = outcome.Call is null ? null : FallbackNames.Of(outcome.Call.Transport);
            json["fallback"] = outcome.Call is null ? null : FallbackNames.Of(outcome.Call.Fallback);
            if (outcome.ErrorCode is not null)
            {
                json["code"] = outcome.ErrorCode;
                json["message"] = outcome.ErrorMessage;
            }
        }
        else if (outcome.Ok)
        {
            return SuccessJson(outcome.Name, outcome.Call!);
        }
        else
        {
            json["code"] = outcome.ErrorCode;
            json["message"] = outcome.ErrorMessage;
            if (outcome.OutcomeUnknown)
            {
                json["outcome_unknown"] = true;
            }
        }

        return json.ToJsonString(LineOptions);
    }

    /// <summary>
    /// The JSON line of a success, written field by field with the same encoder as the other lines
    /// (so the same bytes as a <see cref="JsonObject"/> of the four fields): in a bulk run with
    /// <c>--output json</c> nearly every line is one, and a node tree per name costs several objects.
    /// </summary>
    private static string SuccessJson(string name, VaultCallInfo call)
    {
        // One buffer and writer per thread, reset for each line: only the line's string is new.
        ArrayBufferWriter<byte> buffer = t_successBuffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        Utf8JsonWriter writer = t_successWriter ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = LineOptions.Encoder });
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteBoolean("ok", true);
        writer.WriteString("transport", FallbackNames.Of(call.Transport));
        if (FallbackNames.Of(call.Fallback) is { } fallback)
        {
            writer.WriteString("fallback", fallback);
        }
        else
        {
            writer.WriteNull("fallback");
        }

        writer.WriteEndObject();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteLine(string line)
    {
        lock (_writeLock)
        {
            SharedTerminalBar?.Clear();
            output.WriteLine(TerminalText.Escape(line));
        }
    }
}
