using Microsoft.Extensions.Logging;
using VaultGrpc.Internal.Text;

namespace VaultGrpc.Internal.Telemetry;

/// <summary>
/// Stands between the caller's <see cref="ILoggerFactory"/> and a component that logs text it got
/// from servers — Grpc.Net.Client logs a status message or a header a server may have filled with
/// the token it was sent. Each entry is formatted here and passed on redacted and on one line
/// (<see cref="RedactedLogState"/>), with a redacted stand-in for an exception whose message holds a
/// secret (<see cref="RedactedException"/>); scopes likewise. The caller keeps ownership of the factory.
/// </summary>
internal sealed class RedactingLoggerFactory : ILoggerFactory
{
    private readonly ILoggerFactory _inner;
    private readonly Func<IReadOnlyList<string>>? _knownSecrets;

    private RedactingLoggerFactory(ILoggerFactory inner, Func<IReadOnlyList<string>>? knownSecrets)
    {
        _inner = inner;
        _knownSecrets = knownSecrets;
    }

    /// <summary>
    /// A redacting factory over <paramref name="inner"/> (null for null); <paramref name="knownSecrets"/>
    /// gives the exact tokens to mask at the time of each entry (such as <c>AccessTokenSource.KnownTokens</c>).
    /// </summary>
    public static ILoggerFactory? Wrap(ILoggerFactory? inner, Func<IReadOnlyList<string>>? knownSecrets = null) =>
        inner switch
        {
            null => null,
            RedactingLoggerFactory { _knownSecrets: null } already when knownSecrets is null => already,
            _ => new RedactingLoggerFactory(inner, knownSecrets),
        };

    public ILogger CreateLogger(string categoryName) => new RedactingLogger(_inner.CreateLogger(categoryName), _knownSecrets);

    /// <summary>Not supported: providers belong on the caller's factory, which the caller configures.</summary>
    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("Add providers to the ILoggerFactory given in VaultOperationsClientOptions.LoggerFactory.");

    /// <summary>Nothing to release: the caller owns the inner factory.</summary>
    public void Dispose()
    {
    }

    private sealed class RedactingLogger(ILogger inner, Func<IReadOnlyList<string>>? knownSecrets) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull =>
            inner.BeginScope(new LazyRedactedScope<TState>(state, knownSecrets));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            IReadOnlyList<string>? secrets = knownSecrets?.Invoke();
            RedactedLogState safe = RedactedLogState.From(state, formatter(state, exception), secrets);
            inner.Log(logLevel, eventId, safe, RedactedException.IfNeeded(exception, secrets), static (s, _) => s.ToString());
        }
    }
}
