using Microsoft.Extensions.Logging;

namespace VaultGrpc.Tests.ClientBehaviour;

/// <summary>One log entry as the library wrote it: the formatted message and the structured values behind it.</summary>
internal sealed record CapturedLog(
    string Category,
    LogLevel Level,
    EventId EventId,
    string Message,
    IReadOnlyList<KeyValuePair<string, object?>> Values,
    Exception? Exception)
{
    /// <summary>Everything of the entry a reader of the logs could see, as text.</summary>
    public string AllText()
        => string.Join(
            "\n",
            new[] { Category, Message, Exception?.ToString() ?? string.Empty }
                .Concat(Values.Select(v => $"{v.Key}={v.Value}")));
}
