using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace VaultGrpc.Testing.Internal;

/// <summary>
/// Every request passes here first: it is journaled, then meets what a real front would do to it (the gRPC
/// serving mode, unknown gRPC services and methods, the token check, the body rule of REST Cancel, the fault script) before the service.
/// </summary>
internal sealed class FrontDoorMiddleware(RequestDelegate next, FakeServerState state, RestListRoute restListRoute)
{
    private const string GatewayText = "upstream connect error or disconnect/reset before headers. reset reason: connection failure";
    private const string LoginPage = "<!DOCTYPE html><html><head><title>Sign in - Corporate proxy</title></head><body><form method=\"post\" action=\"/login\"><input name=\"user\"><input name=\"password\" type=\"password\"></form></body></html>";

    public async Task InvokeAsync(HttpContext context)
    {
        RequestClass request = RequestClassifier.Classify(context.Request);
        (Transport transport, OperationsMethod? method, string? pathName) = (request.Transport, request.Method, request.Name);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, state.Stopping);
        byte[] body = await ReadBodyAsync(context.Request, aborted.Token).ConfigureAwait(false);
        (RequestBodyShape bodyShape, string? firstField) = transport == Transport.Rest ? BodyShapeReader.Read(body) : (RequestBodyShape.None, null);

        JournalEntry entry = state.Journal.Add(sequence => new JournalEntry(sequence)
        {
            Transport = transport,
            Method = method,
            OperationName = transport == Transport.Grpc ? GrpcRequestNames.TryRead(method, body) : pathName,
            HttpMethod = context.Request.Method,
            RawPath = RawTarget(context),
            BodyLength = body.Length,
            BodyShape = transport == Transport.Rest ? bodyShape : null,
            ContentType = NullIfEmpty(context.Request.ContentType),
            HasAuthorization = context.Request.Headers.Authorization.Count > 0,
            RequestParams = NullIfEmpty(context.Request.Headers["x-goog-request-params"].ToString()),
            ApiClient = NullIfEmpty(context.Request.Headers["x-goog-api-client"].ToString()),
            Protocol = context.Request.Protocol,
        });
        var call = new FakeCall(context, next, state, transport, method, entry, aborted.Token);
        if (transport == Transport.Rest && method == OperationsMethod.List)
        {
            restListRoute.Select(context);
        }

        try
        {
            await HandleAsync(call, request, firstField).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away (or the fake stopped) mid-call; there is nobody to answer. Drop the
            // call rather than return normally: in memory, TestServer would otherwise hand the gone
            // client an empty 200, which a socket never can, and grpc-dotnet may read it before its
            // own deadline status ("Bad gRPC response", so a timeout looked like gRPC not served).
            context.Abort();
        }
        finally
        {
            entry.Complete(0, null);
        }
    }

    private async Task HandleAsync(FakeCall call, RequestClass request, string? firstBodyField)
    {
        if (call.Transport == Transport.Grpc && await AnswerGrpcFrontAsync(call, request).ConfigureAwait(false))
        {
            return;
        }

        if (call.Transport == Transport.Grpc && !request.IsOperationsGrpc)
        {
            // Health and reflection: no token check and no faults (the fault vocabulary names Operations RPCs),
            // so a test harness can probe the fake whatever the test scripted.
            await call.ServeAsync().ConfigureAwait(false);
            return;
        }

        if (state.RequiredAuthorization is string required
            && !string.Equals(call.Http.Request.Headers.Authorization.ToString(), required, StringComparison.Ordinal))
        {
            if (call.Transport == Transport.Rest)
            {
                call.Http.Response.Headers.WWWAuthenticate = "Bearer realm=\"https://accounts.google.com/\"";
            }

            await call.AnswerStatusAsync(FakeErrors.CreateStatus(
                StatusCode.Unauthenticated,
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")).ConfigureAwait(false);
            return;
        }

        if (call.Transport == Transport.Rest && call.Method == OperationsMethod.Cancel
            && CancelBodyProblem(call.Entry.BodyShape ?? RequestBodyShape.None, firstBodyField) is string problem)
        {
            await call.AnswerStatusAsync(FakeErrors.CreateStatus(StatusCode.InvalidArgument, problem)).ConfigureAwait(false);
            return;
        }

        Fault? fault = state.Faults.Take(call.Method, call.Transport);
        if (fault is not null)
        {
            call.Entry.Fault = fault.Kind;
            if (await fault.ApplyAsync(call).ConfigureAwait(false))
            {
                return;
            }
        }

        await call.ServeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// CancelOperation's REST route declares no body: a real server takes no bytes or <c>{}</c> (what clients generated
    /// from googleapis send) as the empty request, and refuses fields. Strict mode refuses any body, to test a client's own.
    /// </summary>
    private string? CancelBodyProblem(RequestBodyShape shape, string? firstField) => shape switch
    {
        RequestBodyShape.None => null,
        _ when state.StrictCancelBody => "The request body must be empty.",
        RequestBodyShape.EmptyObject => null,
        RequestBodyShape.Fields => $"Invalid JSON payload received. Unknown name \"{firstField}\": CancelOperation takes no body; the name is in the path.",
        _ => "Invalid JSON payload received: the body of CancelOperation must be empty or {}.",
    };

    /// <summary>True when the front (the serving mode, or an unknown service or method) answered the call instead of the service.</summary>
    private async Task<bool> AnswerGrpcFrontAsync(FakeCall call, RequestClass request)
    {
        switch (state.GrpcMode)
        {
            case GrpcServingMode.Gateway503:
                await call.AnswerPageAsync(StatusCodes.Status503ServiceUnavailable, "text/plain", GatewayText).ConfigureAwait(false);
                return true;
            case GrpcServingMode.HtmlLoginPage:
                await call.AnswerPageAsync(StatusCodes.Status200OK, "text/html; charset=utf-8", LoginPage).ConfigureAwait(false);
                return true;
        }

        if (!request.IsOperationsGrpc)
        {
            if (request.GrpcService is { } service && state.OtherGrpcServices.Contains(service))
            {
                return false;
            }

            await AnswerUnimplementedAsync(call, serviceKnown: false).ConfigureAwait(false);
            return true;
        }

        if (state.GrpcMode == GrpcServingMode.Unimplemented)
        {
            await AnswerUnimplementedAsync(call, serviceKnown: false).ConfigureAwait(false);
            return true;
        }

        if (call.Method is not OperationsMethod method || state.IsGrpcUnimplemented(method))
        {
            await AnswerUnimplementedAsync(call, serviceKnown: true).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    // In grpc-dotnet's words (a server without the service, or with the service but not the
    // method), which clients read as channel-level or method-level findings.
    private static Task AnswerUnimplementedAsync(FakeCall call, bool serviceKnown) =>
        call.AnswerStatusAsync(FakeErrors.CreateStatus(StatusCode.Unimplemented, serviceKnown ? "Method is unimplemented." : "Service is unimplemented."));

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        byte[] bytes = buffer.ToArray();
        request.Body = new MemoryStream(bytes, writable: false);
        return bytes;
    }

    private static string RawTarget(HttpContext context)
    {
        string? raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(raw) ? context.Request.PathBase + context.Request.Path + context.Request.QueryString : raw;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
