using Grpc.Core;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace VaultGrpc.Testing.Internal;

/// <summary>One request going through the fake: what it is, its journal entry, and the ways to answer it.</summary>
internal sealed class FakeCall
{
    /// <summary>Key in <see cref="HttpContext.Items"/> under which the service leaves the error it raised.</summary>
    public const string ErrorKey = "VaultGrpc.Testing.Error";

    /// <summary>Key in <see cref="HttpContext.Items"/> under which the service leaves the name it received.</summary>
    public const string NameKey = "VaultGrpc.Testing.Name";

    private readonly RequestDelegate _next;
    private readonly FakeServerState _state;

    public FakeCall(HttpContext http, RequestDelegate next, FakeServerState state, Transport transport, OperationsMethod? method, JournalEntry entry, CancellationToken aborted)
    {
        Http = http;
        _next = next;
        _state = state;
        Transport = transport;
        Method = method;
        Entry = entry;
        Aborted = aborted;
    }

    public HttpContext Http { get; }

    public Transport Transport { get; }

    public OperationsMethod? Method { get; }

    public JournalEntry Entry { get; }

    /// <summary>The client went away or the fake is stopping.</summary>
    public CancellationToken Aborted { get; }

    /// <summary>Answers an error on this call's transport: trailers-only on gRPC, JSON in the configured shape on REST.</summary>
    public async Task AnswerStatusAsync(Google.Rpc.Status status)
    {
        if (Transport == Transport.Grpc)
        {
            Entry.Complete(StatusCodes.Status200OK, (StatusCode)status.Code);
            await GrpcAnswers.WriteStatusAsync(Http, status).ConfigureAwait(false);
        }
        else
        {
            Entry.Complete(HttpStatusMapping.ToHttp((StatusCode)status.Code), (StatusCode)status.Code);
            await _state.RestAnswers.WriteErrorAsync(Http, status, _state.ErrorShape).ConfigureAwait(false);
        }
    }

    /// <summary>Answers a REST body as given; the journal gets no gRPC-equivalent status, since the body may be anything.</summary>
    public async Task AnswerRestBodyAsync(int httpStatus, string? contentType, byte[] body)
    {
        Entry.Complete(httpStatus, null);
        await RestAnswers.WriteBodyAsync(Http, httpStatus, contentType, body).ConfigureAwait(false);
    }

    /// <summary>Answers a non-gRPC page on the gRPC address (a gateway or proxy in front).</summary>
    public async Task AnswerPageAsync(int httpStatus, string contentType, string body)
    {
        Entry.Complete(httpStatus, null);
        await GrpcAnswers.WriteTextAsync(Http, httpStatus, contentType, body).ConfigureAwait(false);
    }

    /// <summary>Runs the real handler and answers what it produced.</summary>
    public async Task ServeAsync()
    {
        if (Transport == Transport.Grpc)
        {
            await _next(Http).ConfigureAwait(false);
            TakeServiceName();
            Entry.Complete(Http.Response.StatusCode, GrpcAnswers.ReadStatus(Http));
            return;
        }

        RestResult result = await RunRestHandlerAsync().ConfigureAwait(false);
        if (result.Error is not null)
        {
            await AnswerStatusAsync(result.Error).ConfigureAwait(false);
            return;
        }

        Entry.Complete(result.HttpStatus, result.HttpStatus < 400 ? StatusCode.OK : null);
        await RestAnswers.WriteBodyAsync(Http, result.HttpStatus, result.ContentType, result.Body).ConfigureAwait(false);
    }

    /// <summary>Runs the transcoded handler into a buffer, so the fake can rewrite, break or pass on its answer.</summary>
    public async Task<RestResult> RunRestHandlerAsync()
    {
        IHttpResponseBodyFeature original = Http.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        Http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        try
        {
            await _next(Http).ConfigureAwait(false);
        }
        finally
        {
            Http.Features.Set(original);
        }

        TakeServiceName();
        var error = Http.Items[ErrorKey] as Google.Rpc.Status;
        byte[] body = buffer.ToArray();
        if (error is null && Http.Response.StatusCode >= 400 && body.Length > 0)
        {
            error = TryParseStatus(body);
        }

        return new RestResult(Http.Response.StatusCode, Http.Response.ContentType, body, error);
    }

    // Errors the transcoder raised itself (bad query values) come as a bare google.rpc.Status; reshape them too.
    private Google.Rpc.Status? TryParseStatus(byte[] body)
    {
        try
        {
            var parser = new JsonParser(JsonParser.Settings.Default.WithIgnoreUnknownFields(true).WithTypeRegistry(_state.TypeRegistry));
            Google.Rpc.Status status = parser.Parse<Google.Rpc.Status>(System.Text.Encoding.UTF8.GetString(body));
            return status.Code != 0 ? status : null;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            return null;
        }
    }

    private void TakeServiceName()
    {
        if (Http.Items[NameKey] is string name)
        {
            Entry.OperationName = name;
        }
    }
}
