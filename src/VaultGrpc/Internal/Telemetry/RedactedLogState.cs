using System.Collections;
using VaultGrpc.Internal.Text;

namespace VaultGrpc.Internal.Telemetry;

/// <summary>
/// The state of a log entry or scope with its text made safe: the formatted message redacted and on
/// one line, and every structured value a provider may write on its own (a JSON console, an
/// exporter) redacted too. Numbers, enums, booleans, times and the message template pass as they are.
/// </summary>
internal sealed class RedactedLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private const string OriginalFormat = "{OriginalFormat}";

    private readonly KeyValuePair<string, object?>[] _values;
    private readonly string _text;

    private RedactedLogState(KeyValuePair<string, object?>[] values, string text)
    {
        _values = values;
        _text = text;
    }

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    /// <summary>
    /// <paramref name="state"/> made safe; <paramref name="formatted"/> is its message as its
    /// formatter wrote it (or null for a scope, whose text is its <c>ToString()</c>).
    /// </summary>
    public static RedactedLogState From<TState>(TState state, string? formatted, IReadOnlyList<string>? knownSecrets)
    {
        KeyValuePair<string, object?>[] values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.Select(pair => new KeyValuePair<string, object?>(pair.Key, pair.Key == OriginalFormat ? pair.Value : SafeValue(pair.Value, knownSecrets))).ToArray()
            : [];
        string text = ServerText.OneLine(formatted ?? state?.ToString(), knownSecrets);
        return new RedactedLogState(values, text);
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _text;

    private static object? SafeValue(object? value, IReadOnlyList<string>? knownSecrets)
    {
        switch (value)
        {
            case null or bool or Enum or TimeSpan or DateTime or DateTimeOffset or Guid:
                return value;
            case var number when number.GetType().IsPrimitive || number is decimal:
                return value;
        }

        string? text = value is IEnumerable and not string
            ? string.Join(", ", ((IEnumerable)value).Cast<object?>())
            : value.ToString();
        // As text: a provider that serialises an object could write what its ToString() leaves out.
        return ServerText.OneLine(text, knownSecrets);
    }
}
