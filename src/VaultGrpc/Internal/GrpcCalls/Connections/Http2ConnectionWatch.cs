using System.Net.Http;

namespace VaultGrpc.Internal.GrpcCalls.Connections;

/// <summary>
/// Knows whether the gRPC channel has a working HTTP/2 connection: one whose server has
/// acknowledged our SETTINGS. RFC 9113 §6.5.3 has a server acknowledge SETTINGS at once and apply
/// frames in order, so until that acknowledgement arrives the server has processed nothing we sent
/// after it — our requests included. Plugged into SocketsHttpHandler as its PlaintextStreamFilter,
/// which sees each connection's plaintext (after TLS) once, when the connection opens.
/// </summary>
internal sealed class Http2ConnectionWatch
{
    private int _working;
    private long _acknowledgements;
    private TaskCompletionSource _nextAcknowledgement = NewSignal();
    private Http2HandshakeFailure? _lastHandshakeFailure;

    /// <summary>Whether some connection is open and its server has acknowledged our SETTINGS.</summary>
    public bool HasWorkingConnection => Volatile.Read(ref _working) > 0;

    /// <summary>
    /// How many connections have started working so far. Unchanged across a request's life, with no
    /// working connection at its start, means every connection it could have used was unacknowledged.
    /// </summary>
    public long Acknowledgements => Interlocked.Read(ref _acknowledgements);

    /// <summary>SocketsHttpHandler's PlaintextStreamFilter: observes HTTP/2 connections, passes others through.</summary>
    public ValueTask<Stream> FilterAsync(SocketsHttpPlaintextStreamFilterContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        Stream stream = context.NegotiatedHttpVersion.Major == 2
            ? new Http2SettingsAckObserver(context.PlaintextStream, this)
            : context.PlaintextStream;
        return ValueTask.FromResult(stream);
    }

    /// <summary>
    /// Completes when a connection is working, or once one has started working since
    /// <paramref name="acknowledgementsBefore"/> was read from <see cref="Acknowledgements"/>.
    /// </summary>
    public Task WhenWorkingAsync(long acknowledgementsBefore, CancellationToken cancellationToken)
    {
        // Read the signal first: an acknowledgement after this read completes it.
        Task signal = Volatile.Read(ref _nextAcknowledgement).Task;
        return HasWorkingConnection || Acknowledgements != acknowledgementsBefore
            ? Task.CompletedTask
            : signal.WaitAsync(cancellationToken);
    }

    /// <summary>How the last connection that never worked ended, as its observer saw it; null if none did.</summary>
    public Http2HandshakeFailure? LastHandshakeFailure => Volatile.Read(ref _lastHandshakeFailure);

    internal void HandshakeFailed(Http2HandshakeFailure failure) => Volatile.Write(ref _lastHandshakeFailure, failure);

    internal void ConnectionStartedWorking()
    {
        Interlocked.Increment(ref _acknowledgements);
        Interlocked.Increment(ref _working);
        Interlocked.Exchange(ref _nextAcknowledgement, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal void WorkingConnectionEnded() => Interlocked.Decrement(ref _working);
}
