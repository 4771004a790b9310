using VaultGrpc.Tests.GrpcCalls.Peers.Http2;

namespace VaultGrpc.Tests.GrpcCalls.Peers;

/// <summary>What a <see cref="ScriptedH2Peer"/> does once a request has fully arrived (END_STREAM seen).</summary>
internal abstract record H2Action
{
    private H2Action()
    {
    }

    /// <summary>An empty-message gRPC OK: what "serve normally" means.</summary>
    public static H2Action GrpcOk { get; } = Respond(H2Response.GrpcOk());

    /// <summary>RST_STREAM(REFUSED_STREAM): the request provably was not processed (RFC 9113 §8.7).</summary>
    public static H2Action RefuseStream { get; } = ResetStream(H2ErrorCode.RefusedStream);

    /// <summary>SO_LINGER 0 and close: the client sees a TCP RST right after its request.</summary>
    public static H2Action ResetConnection { get; } = new ResetConnectionAction();

    /// <summary>Keeps the stream open and says nothing more on it.</summary>
    public static H2Action NoAnswer { get; } = new NoAnswerAction();

    /// <summary>Envoy's 503 "upstream … reset before headers": the request reached a server that may have acted.</summary>
    public static H2Action GatewayResetBeforeHeaders { get; } = Respond(H2Response.GatewayResetBeforeHeaders());

    public static H2Action Respond(H2Response response) => new RespondAction(response);

    public static H2Action GrpcStatus(int code, string message, params KeyValuePair<string, string>[] extraTrailers) =>
        Respond(H2Response.GrpcStatus(code, message, extraTrailers));

    public static H2Action ResetStream(H2ErrorCode error) => new ResetStreamAction(error);

    /// <summary>
    /// GOAWAY then FIN. Below: last-stream-id is under the request's stream, so it provably was not
    /// processed. Otherwise last-stream-id is the request's stream: it may have been.
    /// </summary>
    public static H2Action GoAway(bool lastStreamIdBelowRequest, H2ErrorCode error = H2ErrorCode.NoError) =>
        new GoAwayAction(lastStreamIdBelowRequest, error);

    /// <summary>A redirect whose location is the request's own URL.</summary>
    public static H2Action RedirectToSelf(int status = 307) => new RedirectToSelfAction(status);

    internal sealed record RespondAction(H2Response Response) : H2Action;

    internal sealed record ResetStreamAction(H2ErrorCode Error) : H2Action;

    internal sealed record ResetConnectionAction : H2Action;

    internal sealed record GoAwayAction(bool LastStreamIdBelowRequest, H2ErrorCode Error) : H2Action;

    internal sealed record RedirectToSelfAction(int Status) : H2Action;

    internal sealed record NoAnswerAction : H2Action;
}
