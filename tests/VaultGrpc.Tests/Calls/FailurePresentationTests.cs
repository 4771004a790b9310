using Grpc.Core;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.Calls;
using VaultGrpc.Internal.Delivery;
using VaultGrpc.Internal.GrpcCalls.Connections;
using VaultGrpc.Internal.Text;

namespace VaultGrpc.Tests.Calls;

/// <summary>
/// A failed call as the caller sees it: token-source failures worded as on REST, Grpc.Net.Client's
/// silent DEADLINE_EXCEEDED saying what was awaited, and server text redacted with the client's tokens.
/// </summary>
[Trait("Category", "Reliability")]
public class FailurePresentationTests
{
    private const string Token = "ya29.SENTINELpresent4tion";
    private const string Authority = "http://127.0.0.1:5001";

    [Fact]
    public void Present_TokenSourceUnreachable_UnavailableWordedAsOnRest()
    {
        FailurePresentation presentation = WithoutTokens();
        var cause = new TokenAcquisitionException(new HttpRequestException(HttpRequestError.ConnectionError, "metadata server unreachable"));
        var error = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call.", cause));

        RpcException shown = presentation.Present("GetOperation", error);

        Assert.Equal(StatusCode.Unavailable, shown.StatusCode);
        Assert.Equal("Could not get an access token: HttpRequestException: metadata server unreachable", shown.Status.Detail);
        Assert.Same(cause, shown.Status.DebugException);
    }

    [Fact]
    public void Present_TokenSourceRefuses_Unauthenticated()
    {
        FailurePresentation presentation = WithoutTokens();
        var cause = new TokenAcquisitionException(new InvalidOperationException("no refresh token"));
        var error = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call.", cause));

        RpcException shown = presentation.Present("GetOperation", error);

        Assert.Equal(StatusCode.Unauthenticated, shown.StatusCode);
        Assert.Equal("Could not get an access token: InvalidOperationException: no refresh token", shown.Status.Detail);
    }

    [Fact]
    public void Present_SilentDeadlineWithoutWatch_SaysTheAnswerWasAwaited()
    {
        var presentation = new FailurePresentation(new AccessTokenSource(VaultCredentials.None), watch: null, Authority);
        var error = new RpcException(new Status(StatusCode.DeadlineExceeded, string.Empty));

        RpcException shown = presentation.Present("CancelOperation", error);

        Assert.Equal(StatusCode.DeadlineExceeded, shown.StatusCode);
        Assert.Equal($"The deadline of gRPC CancelOperation to {Authority} passed while waiting for the answer.", shown.Status.Detail);
        Assert.Same(error, shown.Status.DebugException);
    }

    [Fact]
    public void Present_SilentDeadlineNoConnectionWorking_SaysTheConnectionWasAwaited()
    {
        var presentation = new FailurePresentation(new AccessTokenSource(VaultCredentials.None), new Http2ConnectionWatch(), Authority);
        var error = new RpcException(new Status(StatusCode.DeadlineExceeded, string.Empty));

        RpcException shown = presentation.Present("DeleteOperation", error);

        Assert.Equal($"The deadline of gRPC DeleteOperation to {Authority} passed while waiting for a working HTTP/2 connection, which was not established.", shown.Status.Detail);
    }

    [Fact]
    public void Present_SilentDeadlineOnWorkingConnection_SaysTheServerDidNotAnswer()
    {
        var watch = new Http2ConnectionWatch();
        watch.ConnectionStartedWorking();
        var presentation = new FailurePresentation(new AccessTokenSource(VaultCredentials.None), watch, Authority);
        var error = DeliveryEvidence.MarkMayHaveActed(new RpcException(new Status(StatusCode.DeadlineExceeded, string.Empty)));

        RpcException shown = presentation.Present("GetOperation", error);

        Assert.Equal($"The deadline of gRPC GetOperation to {Authority} passed while waiting for the answer on a working HTTP/2 connection (the server did not answer in time).", shown.Status.Detail);
        Assert.True(DeliveryEvidence.MarkedMayHaveActed(shown));
    }

    [Fact]
    public void Present_DeadlineWithDetail_SameObject()
    {
        FailurePresentation presentation = WithoutTokens();
        var error = new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));

        Assert.Same(error, presentation.Present("GetOperation", error));
    }

    [Fact]
    public async Task Present_CleanAnswer_SameObject()
    {
        FailurePresentation presentation = await WithKnownTokenAsync();
        var error = new RpcException(new Status(StatusCode.NotFound, "no such operation"), new Metadata { { "x-note", "nothing secret" } });

        Assert.Same(error, presentation.Present("GetOperation", error));
    }

    [Fact]
    public async Task Present_DetailEchoesToken_MaskedOnOneLine()
    {
        FailurePresentation presentation = await WithKnownTokenAsync();
        var error = new RpcException(new Status(StatusCode.PermissionDenied, $"token {Token}\nrejected"));

        RpcException shown = presentation.Present("GetOperation", error);

        Assert.Equal(StatusCode.PermissionDenied, shown.StatusCode);
        Assert.Equal($"token {SecretRedaction.Mask} rejected", shown.Status.Detail);
        Assert.DoesNotContain(Token, shown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Present_TextTrailerEchoesToken_MaskedAndBinaryTrailerKept()
    {
        FailurePresentation presentation = await WithKnownTokenAsync();
        byte[] details = [1, 2, 3];
        var trailers = new Metadata { { "x-echo", "Bearer " + Token }, { "grpc-status-details-bin", details } };
        var error = new RpcException(new Status(StatusCode.Unauthenticated, "denied"), trailers);

        RpcException shown = presentation.Present("GetOperation", error);

        Assert.DoesNotContain(Token, shown.Trailers.GetValue("x-echo"), StringComparison.Ordinal);
        Assert.Contains(SecretRedaction.Mask, shown.Trailers.GetValue("x-echo"), StringComparison.Ordinal);
        Assert.Equal(details, shown.Trailers.GetValueBytes("grpc-status-details-bin"));
    }

    [Fact]
    public async Task Present_DebugExceptionQuotesToken_RedactedStandInKeepsType()
    {
        FailurePresentation presentation = await WithKnownTokenAsync();
        var quoting = new InvalidOperationException("proxy said: " + Token);
        var error = new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.", quoting));

        RpcException shown = presentation.Present("GetOperation", error);

        var standIn = Assert.IsType<RedactedException>(shown.Status.DebugException);
        Assert.Equal(typeof(InvalidOperationException), standIn.OriginalType);
        Assert.DoesNotContain(Token, shown.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Present_EchoingFailureMarkedNotDelivered_KeepsTheMark()
    {
        FailurePresentation presentation = await WithKnownTokenAsync();
        var error = DeliveryEvidence.MarkNotDelivered(new RpcException(new Status(StatusCode.Unavailable, "refused " + Token)));

        RpcException shown = presentation.Present("DeleteOperation", error);

        Assert.NotSame(error, shown);
        Assert.True(DeliveryEvidence.ProvesNotDelivered(shown));
    }

    [Fact]
    public async Task Present_OutcomeUnknownEchoingToken_StaysOutcomeUnknownMasked()
    {
        FailurePresentation presentation = await WithKnownTokenAsync();
        var unknown = new VaultOutcomeUnknownException("DeleteOperation", new RpcException(new Status(StatusCode.Unavailable, "reset after " + Token)));

        RpcException shown = presentation.Present("DeleteOperation", unknown);

        var stillUnknown = Assert.IsType<VaultOutcomeUnknownException>(shown);
        Assert.Equal("DeleteOperation", stillUnknown.Method);
        Assert.Equal(StatusCode.Unavailable, stillUnknown.StatusCode);
        Assert.DoesNotContain(Token, stillUnknown.Message, StringComparison.Ordinal);
    }

    private static FailurePresentation WithoutTokens() =>
        new(new AccessTokenSource(VaultCredentials.None), watch: null, Authority);

    /// <summary>A presentation whose token source has handed out <see cref="Token"/> once, so knows it.</summary>
    private static async Task<FailurePresentation> WithKnownTokenAsync()
    {
        var tokens = new AccessTokenSource(VaultCredentials.FromAccessToken(Token));
        await tokens.GetHeadersAsync(Authority, CancellationToken.None);
        return new FailurePresentation(tokens, watch: null, Authority);
    }
}
