using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using VaultGrpc.Invokers.Rest;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Tests.Invokers.Rest;

/// <summary>
/// One REST call's life as the caller sees it through <see cref="AsyncUnaryCall{TResponse}"/>: response
/// headers asked before or after the answer, and the three ways a call is aborted while it waits
/// (disposed, the caller's token, the deadline), which share one token source per call. The HTTP
/// handler is held by the test, so every step happens when the test says.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class RestUnaryCallLifecycleTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly Uri Endpoint = new("http://127.0.0.1:1");
    private static readonly CancelOperationRequest Request = new() { Name = "operations/op-1" };

    private readonly HeldHandler _handler = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly RestCallInvoker _rest;
    private readonly Operations.OperationsClient _stub;

    public RestUnaryCallLifecycleTests()
    {
        var options = new RestCallInvokerOptions { HttpHandler = _handler, TimeProvider = _time };
        options.Services.Add(OperationsReflection.Descriptor.Services[0]);
        _rest = new RestCallInvoker(Endpoint, options);
        _stub = new Operations.OperationsClient(_rest);
    }

    [Fact]
    public async Task ResponseHeadersAsync_AskedBeforeTheAnswer_CompletesWithItsHeaders()
    {
        using AsyncUnaryCall<Empty> call = _stub.CancelOperationAsync(Request);
        Task<Metadata> headers = call.ResponseHeadersAsync;
        await _handler.Sent.WaitAsync(Bound);
        bool completedEarly = headers.IsCompleted;

        _handler.Answer(Answer());
        await call.ResponseAsync.WaitAsync(Bound);

        Assert.False(completedEarly);
        Assert.Equal("seen", (await headers.WaitAsync(Bound)).GetValue("x-answer"));
    }

    [Fact]
    public async Task ResponseHeadersAsync_AskedAfterTheCall_CompletesWithItsHeaders()
    {
        using AsyncUnaryCall<Empty> call = _stub.CancelOperationAsync(Request);
        await _handler.Sent.WaitAsync(Bound);
        _handler.Answer(Answer());
        await call.ResponseAsync.WaitAsync(Bound);

        Metadata headers = await call.ResponseHeadersAsync.WaitAsync(Bound);

        Assert.Equal("seen", headers.GetValue("x-answer"));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Empty(call.GetTrailers());
    }

    [Fact]
    public async Task ResponseHeadersAsync_CallFailedBeforeAnyAnswer_FaultsWithTheCallsError()
    {
        using AsyncUnaryCall<Empty> call = _stub.CancelOperationAsync(Request);
        await _handler.Sent.WaitAsync(Bound);
        _handler.Fail(new HttpRequestException("connection refused"));

        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Bound));
        RpcException headersFailure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseHeadersAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Same(failure, headersFailure);
    }

    [Fact]
    public async Task Dispose_WhileWaitingForTheAnswer_EndsCancelledAsDisposedAndAbortsTheRequest()
    {
        AsyncUnaryCall<Empty> call = _stub.CancelOperationAsync(Request, deadline: _time.GetUtcNow().UtcDateTime.AddMinutes(1));
        await _handler.Sent.WaitAsync(Bound);

        call.Dispose();

        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Bound));
        Assert.Equal(StatusCode.Cancelled, failure.StatusCode);
        Assert.Contains("disposed", failure.Status.Detail, StringComparison.Ordinal);
        Assert.True(_handler.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task CallerToken_CancelledWhileWaitingForTheAnswer_EndsCancelledByTheCaller()
    {
        using var caller = new CancellationTokenSource();
        using AsyncUnaryCall<Empty> call = _stub.CancelOperationAsync(Request, deadline: _time.GetUtcNow().UtcDateTime.AddMinutes(1), cancellationToken: caller.Token);
        await _handler.Sent.WaitAsync(Bound);

        await caller.CancelAsync();

        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Bound));
        Assert.Equal(StatusCode.Cancelled, failure.StatusCode);
        Assert.DoesNotContain("disposed", failure.Status.Detail, StringComparison.Ordinal);
        Assert.True(_handler.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task Deadline_PassesWhileWaitingForTheAnswer_EndsDeadlineExceeded()
    {
        using AsyncUnaryCall<Empty> call = _stub.CancelOperationAsync(Request, deadline: _time.GetUtcNow().UtcDateTime.AddSeconds(5));
        await _handler.Sent.WaitAsync(Bound);
        bool abortedEarly = _handler.Token.IsCancellationRequested;

        _time.Advance(TimeSpan.FromSeconds(5));

        RpcException failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Bound));
        Assert.False(abortedEarly);
        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
    }

    public void Dispose() => _rest.Dispose();

    private static HttpResponseMessage Answer()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        response.Headers.TryAddWithoutValidation("x-answer", "seen");
        return response;
    }

    /// <summary>Takes one request and answers it (or fails, or observes its abort) when the test says.</summary>
    private sealed class HeldHandler : HttpMessageHandler
    {
        private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<HttpResponseMessage> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once the request reached the handler.</summary>
        public Task Sent => _sent.Task;

        /// <summary>The token the request was sent with.</summary>
        public CancellationToken Token { get; private set; }

        public void Answer(HttpResponseMessage response) => _answer.SetResult(response);

        public void Fail(Exception error) => _answer.SetException(error);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Token = cancellationToken;
            _sent.SetResult();
            return _answer.Task.WaitAsync(cancellationToken);
        }
    }
}
