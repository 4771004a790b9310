using Grpc.Core;
using Microsoft.Extensions.Logging;
using VaultGrpc.Internal.Telemetry;
using VaultGrpc.Internal.Text;
using VaultGrpc.Tests.ClientBehaviour;

namespace VaultGrpc.Tests.Secrets;

/// <summary>The factory that stands between the caller's logs and Grpc.Net.Client (and the library's own logger).</summary>
[Trait("Category", "Reliability")]
public sealed class RedactingLoggerFactoryTests
{
    private const string Token = "SENTINELq7Zx3kP9w";

    [Fact]
    public void Log_MessageAndValuesEchoingToken_RedactedAndKeptStructured()
    {
        using var logs = new CapturingLoggerProvider();
        using ILoggerFactory inner = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        ILogger logger = RedactingLoggerFactory.Wrap(inner, () => [Token])!.CreateLogger("Grpc.Net.Client.Internal.GrpcCall");

        logger.LogInformation("Call failed. Status code: '{StatusCode}', Message: '{StatusMessage}', Attempt {Attempt}.", StatusCode.Unauthenticated, $"bad token {Token}\r\nforged line", 3);

        CapturedLog entry = Assert.Single(logs.Logs);
        Assert.Equal("Call failed. Status code: 'Unauthenticated', Message: 'bad token *** forged line', Attempt 3.", entry.Message);
        Assert.Equal(StatusCode.Unauthenticated, entry.Values.Single(v => v.Key == "StatusCode").Value);
        Assert.Equal(3, entry.Values.Single(v => v.Key == "Attempt").Value);
        Assert.Equal("bad token *** forged line", entry.Values.Single(v => v.Key == "StatusMessage").Value);
        Assert.DoesNotContain(Token, entry.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Log_ExceptionChainQuotingToken_PassedAsRedactedStandIn()
    {
        using var logs = new CapturingLoggerProvider();
        using ILoggerFactory inner = LoggerFactory.Create(b => b.AddProvider(logs));
        ILogger logger = RedactingLoggerFactory.Wrap(inner)!.CreateLogger("test");
        Exception thrown = Throw(new HttpRequestException("outer", new IOException("Received an invalid header line: 'Authorization: Bearer " + Token + "'")));

        logger.LogWarning(thrown, "Error starting gRPC call.");

        CapturedLog entry = Assert.Single(logs.Logs);
        var standIn = Assert.IsType<RedactedException>(entry.Exception);
        Assert.Equal(typeof(HttpRequestException), standIn.OriginalType);
        Assert.Equal(typeof(IOException), Assert.IsType<RedactedException>(standIn.InnerException).OriginalType);
        Assert.Contains("System.IO.IOException (redacted): Received an invalid header line: 'Authorization: ***'", entry.AllText(), StringComparison.Ordinal);
        Assert.Contains(nameof(Throw), standIn.StackTrace, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, entry.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Log_ExceptionWithoutSecret_PassedAsItIs()
    {
        using var logs = new CapturingLoggerProvider();
        using ILoggerFactory inner = LoggerFactory.Create(b => b.AddProvider(logs));
        ILogger logger = RedactingLoggerFactory.Wrap(inner, () => [Token])!.CreateLogger("test");
        var refused = new HttpRequestException("Connection refused (127.0.0.1:1)");

        logger.LogWarning(refused, "Error starting gRPC call.");

        Assert.Same(refused, Assert.Single(logs.Logs).Exception);
    }

    [Fact]
    public void BeginScope_StateEchoingToken_InnerSeesRedactedState()
    {
        var scopes = new ScopeRecordingProvider();
        using ILoggerFactory inner = LoggerFactory.Create(b => b.AddProvider(scopes));
        ILogger logger = RedactingLoggerFactory.Wrap(inner, () => [Token])!.CreateLogger("test");

        using (logger.BeginScope(new Dictionary<string, object?> { ["GrpcUri"] = $"http://u:{Token}@host/x", ["Attempt"] = 2 }))
        using (logger.BeginScope("plain {0}", Token))
        {
        }

        Assert.Equal(2, scopes.States.Count);
        var values = Assert.IsAssignableFrom<IReadOnlyList<KeyValuePair<string, object?>>>(scopes.States[0]);
        Assert.Equal("http://u:***@host/x", values.Single(v => v.Key == "GrpcUri").Value);
        Assert.Equal(2, values.Single(v => v.Key == "Attempt").Value);
        Assert.Equal("plain ***", scopes.States[1].ToString());
        Assert.All(scopes.States, s => Assert.DoesNotContain(Token, s.ToString() + string.Join(",", (IEnumerable<KeyValuePair<string, object?>>)s), StringComparison.Ordinal));
    }

    [Fact]
    public void Wrap_Null_Null()
    {
        Assert.Null(RedactingLoggerFactory.Wrap(null));
    }

    [Fact]
    public void AddProvider_Refused()
    {
        using ILoggerFactory inner = LoggerFactory.Create(_ => { });
        ILoggerFactory wrapped = RedactingLoggerFactory.Wrap(inner)!;

        Assert.Throws<NotSupportedException>(() => wrapped.AddProvider(new CapturingLoggerProvider()));
    }

    private static Exception Throw(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    private sealed class ScopeRecordingProvider : ILoggerProvider, ILogger
    {
        public List<object> States { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            States.Add(state);
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }

        public void Dispose()
        {
        }
    }
}
