using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VaultGrpc.Testing.Internal;

namespace VaultGrpc.Testing;

internal sealed class TooManyRequestsFault(TimeSpan retryAfter) : Fault(FaultKind.TooManyRequests)
{
    internal override async Task<bool> ApplyAsync(FakeCall call)
    {
        Google.Rpc.Status status = FakeErrors.CreateStatus(
            StatusCode.ResourceExhausted,
            "Quota exceeded; retry later.",
            [new Google.Rpc.RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }]);
        if (call.Transport == Transport.Rest)
        {
            long seconds = (long)Math.Ceiling(retryAfter.TotalSeconds);
            call.Http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await call.AnswerStatusAsync(status).ConfigureAwait(false);
        return true;
    }
}
