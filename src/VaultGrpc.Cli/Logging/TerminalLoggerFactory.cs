using Microsoft.Extensions.Logging;
using VaultGrpc.Cli.Output;

namespace VaultGrpc.Cli.Logging;

/// <summary>
/// <c>--verbose</c>: the client's logs on standard error, one line each. The library already hands
/// its loggers text with credentials masked; the run's own token is masked again here, and every
/// line is escaped (<see cref="TerminalText"/>) because a log may quote a server.
/// </summary>
internal sealed class TerminalLoggerFactory(TextWriter error, SecretRedactor redactor, LogLevel minimum = LogLevel.Debug) : ILoggerFactory
{
    private readonly object _writeLock = new();

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) =>
        new TerminalLogger(this, ShortName(categoryName), MinimumFor(categoryName));

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider)
    {
        // Only standard error: another sink would be --verbose's business, not the library's.
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    /// <summary>One log line as printed: <c>vault-ops: warn VaultOperationsClient: …</c>.</summary>
    internal string Format(LogLevel level, string category, string message, Exception? exception)
    {
        string cause = exception is null ? string.Empty : $" ({exception.Message})";
        return $"vault-ops: {LevelName(level)} {category}: {TerminalText.Escape(redactor.Redact(message + cause))}";
    }

    private static string ShortName(string category) => category[(category.LastIndexOf('.') + 1)..];

    // Grpc.Net.Client logs every call and connection at Debug (177 lines for a 30-name cancel,
    // measured): its Information and above are what --verbose is for; ours (retries) stay at Debug.
    private LogLevel MinimumFor(string category) =>
        category.StartsWith("Grpc.", StringComparison.Ordinal) && minimum < LogLevel.Information ? LogLevel.Information : minimum;

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "crit",
    };

    private sealed class TerminalLogger(TerminalLoggerFactory factory, string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string line = factory.Format(logLevel, category, formatter(state, exception), exception);
            lock (factory._writeLock)
            {
                factory.Error.WriteLine(line);
            }
        }
    }

    private TextWriter Error => error;
}
