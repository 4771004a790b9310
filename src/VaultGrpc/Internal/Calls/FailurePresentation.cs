using Grpc.Core;
using VaultGrpc.Internal.Auth;
using VaultGrpc.Internal.GrpcCalls.Connections;
using VaultGrpc.Internal.Text;

namespace VaultGrpc.Internal.Calls;

/// <summary>
/// A failed call as the caller sees it, after the invokers classified it on the original: a token
/// source's failure worded as on REST, Grpc.Net.Client's silent DEADLINE_EXCEEDED saying what was
/// waited for, and server text (grpc-message, text trailers, quoted exceptions) redacted — so that
/// an echoed token reaches neither the caller nor the logs. Delivery marks are kept.
/// </summary>
internal sealed class FailurePresentation(AccessTokenSource tokens, Http2ConnectionWatch? watch, string grpcAuthority)
{
    /// <summary>The failure of <paramref name="method"/> as shown; the same object when nothing needs changing.</summary>
    public RpcException Present(string method, RpcException error)
    {
        if (error is VaultOutcomeUnknownException unknown)
        {
            var failure = new RpcException(unknown.Status, unknown.Trailers);
            RpcException shown = Present(method, failure);
            return ReferenceEquals(shown, failure) ? unknown : CopyData(unknown, new VaultOutcomeUnknownException(unknown.Method, shown));
        }

        if (error.Status.DebugException is TokenAcquisitionException tokenFailure)
        {
            // The same code and message as REST gives for the same failure.
            return TokenFailure.ToRpcException(tokenFailure);
        }

        if (error.StatusCode == StatusCode.DeadlineExceeded && error.Status.Detail.Length == 0)
        {
            return CopyData(error, new RpcException(new Status(StatusCode.DeadlineExceeded, DeadlineMessage(method), error), error.Trailers));
        }

        return Redacted(error);
    }

    /// <summary><paramref name="error"/> with its server text masked, one line and cut; the same object when clean.</summary>
    public RpcException Redacted(RpcException error)
    {
        IReadOnlyList<string> secrets = tokens.KnownTokens;
        string detail = ServerText.Snippet(error.Status.Detail, ServerText.MessageLength, secrets);
        Exception? debug = RedactedException.IfNeeded(error.Status.DebugException, secrets);
        Metadata trailers = RedactedTrailers(error.Trailers, secrets);
        if (detail == error.Status.Detail && ReferenceEquals(debug, error.Status.DebugException) && ReferenceEquals(trailers, error.Trailers))
        {
            return error;
        }

        return CopyData(error, error is VaultOutcomeUnknownException unknown
            ? new VaultOutcomeUnknownException(unknown.Method, new RpcException(new Status(error.StatusCode, detail, debug), trailers))
            : new RpcException(new Status(error.StatusCode, detail, debug), trailers));
    }

    private static T CopyData<T>(RpcException from, T to)
        where T : RpcException
    {
        foreach (System.Collections.DictionaryEntry entry in from.Data)
        {
            to.Data[entry.Key] = entry.Value;
        }

        return to;
    }

    // Text trailers a server sent are server text too (a gateway may echo the request's headers);
    // binary ones (grpc-status-details-bin) are left for Grpc.StatusProto. The same object when clean.
    private static Metadata RedactedTrailers(Metadata trailers, IReadOnlyList<string> secrets)
    {
        if (!trailers.Any(entry => !entry.IsBinary && SecretRedaction.ContainsSecret(entry.Value, secrets)))
        {
            return trailers;
        }

        var redacted = new Metadata();
        foreach (Metadata.Entry entry in trailers)
        {
            if (entry.IsBinary)
            {
                redacted.Add(entry.Key, entry.ValueBytes);
            }
            else
            {
                redacted.Add(entry.Key, SecretRedaction.Redact(entry.Value, secrets));
            }
        }

        return redacted;
    }

    private string DeadlineMessage(string method)
    {
        string connection = watch switch
        {
            null => "the answer",
            { HasWorkingConnection: true } => "the answer on a working HTTP/2 connection (the server did not answer in time)",
            _ => "a working HTTP/2 connection, which was not established",
        };
        return $"The deadline of gRPC {method} to {grpcAuthority} passed while waiting for {connection}.";
    }
}
