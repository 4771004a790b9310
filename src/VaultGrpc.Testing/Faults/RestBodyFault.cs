using System.Text;
using VaultGrpc.Testing.Internal;

namespace VaultGrpc.Testing;

internal sealed class RestBodyFault(RestBodyKind bodyKind, int httpStatus) : Fault(FaultKind.RestBody)
{
    internal const string LoginPage = "<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Sign in to continue</h1><form method=\"post\" action=\"/login\"><input name=\"user\"></form></body></html>";

    public RestBodyKind BodyKind { get; } = bodyKind;

    /// <inheritdoc />
    public override string ToString() => $"{Kind}({BodyKind}, {httpStatus})";

    internal override bool AppliesTo(Transport transport) => transport == Transport.Rest;

    internal override async Task<bool> ApplyAsync(FakeCall call)
    {
        switch (BodyKind)
        {
            case RestBodyKind.Malformed:
                await call.AnswerRestBodyAsync(httpStatus, RestAnswers.JsonContentType, Encoding.UTF8.GetBytes("{\"name\": operations/?? \"done\": tru]")).ConfigureAwait(false);
                break;
            case RestBodyKind.Empty:
                await call.AnswerRestBodyAsync(httpStatus, RestAnswers.JsonContentType, Array.Empty<byte>()).ConfigureAwait(false);
                break;
            case RestBodyKind.Html:
                await call.AnswerRestBodyAsync(httpStatus, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(LoginPage)).ConfigureAwait(false);
                break;
            default:
                RestResult real = await call.RunRestHandlerAsync().ConfigureAwait(false);
                byte[] body = real.Body.Length > 1 ? real.Body[..(real.Body.Length / 2)] : "{"u8.ToArray();
                await call.AnswerRestBodyAsync(httpStatus, RestAnswers.JsonContentType, body).ConfigureAwait(false);
                break;
        }

        return true;
    }
}
