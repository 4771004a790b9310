using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace VaultGrpc.Internal.Telemetry;

/// <summary>Every log message of the library, with stable event ids. Never logs tokens.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Method}: gRPC could not serve ({Reason}: {Detail}); falling back to REST for {WindowSeconds} s.")]
    public static partial void FallingBackToRest(ILogger logger, string method, FallbackReason reason, string detail, double windowSeconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Method}: the REST window ran out; probing gRPC with this call.")]
    public static partial void ProbingGrpc(ILogger logger, string method);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Method}: gRPC serves again; calls go to gRPC first.")]
    public static partial void GrpcRestored(ILogger logger, string method);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "{Method}: attempt {Attempt} failed with {StatusCode}; retrying in {DelayMs:F0} ms.")]
    public static partial void Retrying(ILogger logger, RpcMethod method, StatusCode statusCode, int attempt, double delayMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "{Method}: attempt {Attempt} failed with {StatusCode}; no retry, the next delay would pass the deadline.")]
    public static partial void RetryAbandonedAtDeadline(ILogger logger, RpcMethod method, StatusCode statusCode, int attempt);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "WaitOperation is not served over gRPC ({Detail}); waiting by polling GetOperation.")]
    public static partial void WaitOperationNotServed(ILogger logger, string detail);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "{Method}: attempt {Attempt} failed with {StatusCode} after its request may have reached the server; not sent again, outcome unknown.")]
    public static partial void OutcomeUnknown(ILogger logger, string method, StatusCode statusCode, int attempt);
}
