using System.Text;

namespace VaultGrpc.Internal.Text;

/// <summary>
/// Stands in for an exception whose message (or an inner one's) carries a secret: the same chain,
/// type names and stack traces, with every message redacted. Used where an exception would reach
/// a log or an <see cref="Grpc.Core.RpcException"/>'s message (which quotes its DebugException).
/// </summary>
internal sealed class RedactedException : Exception
{
    private readonly string? _stackTrace;

    private RedactedException(Exception original, string message, Exception? inner)
        : base(message, inner)
    {
        OriginalType = original.GetType();
        _stackTrace = original.StackTrace;
        HResult = original.HResult;
    }

    /// <summary>The type of the exception this one stands in for.</summary>
    public Type OriginalType { get; }

    /// <inheritdoc />
    public override string? StackTrace => _stackTrace;

    /// <summary>
    /// <paramref name="exception"/> itself when no message in its chain holds a secret, else a
    /// redacted stand-in for the whole chain. Null for null.
    /// </summary>
    public static Exception? IfNeeded(Exception? exception, IReadOnlyList<string>? knownSecrets = null)
    {
        if (exception is null || !AnyMessageHoldsSecret(exception, knownSecrets))
        {
            return exception;
        }

        return Redacted(exception, knownSecrets, depth: 0);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder().Append(OriginalType.FullName).Append(" (redacted): ").Append(Message);
        if (InnerException is not null)
        {
            text.Append(" ---> ").Append(InnerException).AppendLine().Append("   --- End of inner exception stack trace ---");
        }

        if (StackTrace is { Length: > 0 } stackTrace)
        {
            text.AppendLine().Append(stackTrace);
        }

        return text.ToString();
    }

    private static bool AnyMessageHoldsSecret(Exception exception, IReadOnlyList<string>? knownSecrets)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (SecretRedaction.ContainsSecret(current.Message, knownSecrets))
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Skip(1).Any(e => AnyMessageHoldsSecret(e, knownSecrets)))
            {
                return true;
            }
        }

        return false;
    }

    // An AggregateException's message already quotes every inner message, so one chain is enough.
    private static RedactedException Redacted(Exception exception, IReadOnlyList<string>? knownSecrets, int depth)
    {
        Exception? inner = exception.InnerException is { } cause && depth < 16 ? Redacted(cause, knownSecrets, depth + 1) : null;
        return new RedactedException(exception, SecretRedaction.Redact(exception.Message, knownSecrets), inner);
    }
}
