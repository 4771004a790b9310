namespace VaultGrpc.Internal.Telemetry;

/// <summary>
/// A logging scope whose state is redacted only when a provider reads it. Grpc.Net.Client opens a
/// scope on every call; most providers never read scopes, and redacting eagerly cost about 2.5 KB
/// per call (measured) for nothing.
/// </summary>
internal sealed class LazyRedactedScope<TState>(TState state, Func<IReadOnlyList<string>>? knownSecrets) : IReadOnlyList<KeyValuePair<string, object?>>
    where TState : notnull
{
    private RedactedLogState? _redacted;

    public int Count => Redacted.Count;

    private RedactedLogState Redacted => _redacted ??= RedactedLogState.From(state, formatted: null, knownSecrets?.Invoke());

    public KeyValuePair<string, object?> this[int index] => Redacted[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Redacted.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Redacted.ToString();
}
