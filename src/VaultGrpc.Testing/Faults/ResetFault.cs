using System.Text;
using Microsoft.AspNetCore.Http.Features;
using VaultGrpc.Testing.Internal;

namespace VaultGrpc.Testing;

/// <summary>Starts the answer so the client is mid-call, then resets the stream or aborts the connection.</summary>
internal sealed class ResetFault(FaultKind kind, int http2ErrorCode) : Fault(kind)
{
    internal override async Task<bool> ApplyAsync(FakeCall call)
    {
        var response = call.Http.Response;
        response.StatusCode = 200;
        if (call.Transport == Transport.Grpc)
        {
            response.ContentType = GrpcAnswers.ContentType;
            await response.StartAsync(call.Aborted).ConfigureAwait(false);
        }
        else
        {
            response.ContentType = RestAnswers.JsonContentType;
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes("{\"name\":"), call.Aborted).ConfigureAwait(false);
            await response.Body.FlushAsync(call.Aborted).ConfigureAwait(false);
        }

        call.Entry.Complete(0, null);
        IHttpResetFeature? reset = call.Http.Features.Get<IHttpResetFeature>();
        if (Kind == FaultKind.ResetStream && reset is not null && call.Http.Request.Protocol == "HTTP/2")
        {
            reset.Reset(http2ErrorCode);
        }
        else
        {
            call.Http.Abort();
        }

        return true;
    }
}
