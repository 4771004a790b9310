using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using VaultGrpc.Testing.Internal;

namespace VaultGrpc.Testing;

/// <summary>
/// A fake <c>google.longrunning.Operations</c> server for tests: gRPC and the REST routes transcoded from the
/// same proto, over an operation store, with serving modes, fault scripts and a call journal. Start one per
/// test (it starts in milliseconds) and dispose it.
/// </summary>
/// <example>
/// <code>
/// await using var fake = await FakeOperationsServer.StartAsync();
/// fake.Store.AddRunning("operations/export-1");
/// using var client = VaultOperationsClient.Create(fake.CreateClientOptions());
/// </code>
/// </example>
public sealed class FakeOperationsServer : IAsyncDisposable
{
    private readonly FakeServerState _state;
    private readonly WebApplication _app;
    private readonly TestServer? _testServer;
    private readonly List<IDisposable> _handedOut = new();
    private WebApplication? _admin;
    private int _disposed;

    private FakeOperationsServer(FakeServerState state, WebApplication app, TestServer? testServer, Uri grpcAddress, Uri restAddress, Uri? restHttp2Address)
    {
        _state = state;
        _app = app;
        _testServer = testServer;
        GrpcAddress = grpcAddress;
        RestAddress = restAddress;
        RestHttp2Address = restHttp2Address;
    }

    /// <summary>Where the fake runs.</summary>
    public FakeHosting Hosting => _state.Options.Hosting;

    /// <summary>The operations it serves; seed and change them at any time.</summary>
    public FakeOperationStore Store => _state.Store;

    /// <summary>Every request it received.</summary>
    public CallJournal Journal => _state.Journal;

    /// <summary>The faults it applies.</summary>
    public FaultScript Faults => _state.Faults;

    /// <summary>The gRPC address (h2c, <c>http://</c>; <c>https://</c> with <see cref="FakeServerOptions.ServerCertificate"/>). In memory: the TestServer's base address, reached only through <see cref="CreateGrpcHandler"/>.</summary>
    public Uri GrpcAddress { get; }

    /// <summary>The REST address (HTTP/1.1; <c>https://</c> with <see cref="FakeServerOptions.ServerCertificate"/>). In memory: the TestServer's base address, reached only through <see cref="CreateRestHandler"/>.</summary>
    public Uri RestAddress { get; }

    /// <summary>The REST address that speaks h2c (HTTP/2 with prior knowledge); null when <see cref="FakeServerOptions.RestHttp2Port"/> is -1. In memory: the same as <see cref="RestAddress"/>.</summary>
    public Uri? RestHttp2Address { get; }

    /// <summary>
    /// The admin API (HTTP/JSON on 127.0.0.1: <c>/v1/status</c>, <c>/v1/operations</c>, <c>/v1/grpc-mode</c>, <c>/v1/rest</c>,
    /// <c>/v1/faults</c>, <c>/v1/journal</c>, <c>/v1/reset</c>), or null when <see cref="FakeServerOptions.AdminPort"/> is -1.
    /// </summary>
    public Uri? AdminAddress { get; private set; }

    /// <summary>The token calls must carry, or null for no check.</summary>
    public string? RequiredBearerToken => _state.Options.RequiredBearerToken;

    /// <summary>
    /// How gRPC answers now. <see cref="GrpcServingMode.Serve"/>, <see cref="GrpcServingMode.Unimplemented"/>,
    /// <see cref="GrpcServingMode.Gateway503"/> and <see cref="GrpcServingMode.HtmlLoginPage"/> can be switched at
    /// run time in both hostings; <see cref="GrpcServingMode.NotListening"/> and <see cref="GrpcServingMode.Http1Only"/>
    /// only in memory (with sockets they are the listener itself, chosen at start).
    /// </summary>
    /// <exception cref="InvalidOperationException">The switch needs another listener than the one sockets hosting started with.</exception>
    public GrpcServingMode GrpcMode
    {
        get => _state.GrpcMode;
        set
        {
            if (Hosting == FakeHosting.Sockets && value != _state.GrpcMode && (IsListenerMode(value) || IsListenerMode(_state.GrpcMode)))
            {
                throw new InvalidOperationException(
                    $"With sockets hosting, gRPC mode {value} (or leaving {_state.GrpcMode}) needs another listener; choose it in FakeServerOptions.GrpcMode at start.");
            }

            _state.GrpcMode = value;
        }
    }

    /// <summary>The RPCs answered UNIMPLEMENTED over gRPC while <see cref="GrpcMode"/> is <see cref="GrpcServingMode.Serve"/>.</summary>
    public IReadOnlyCollection<OperationsMethod> GrpcUnimplementedMethods => _state.GrpcUnimplementedMethods;

    /// <summary>The JSON shape of REST errors now; switch at any time.</summary>
    public RestErrorShape RestErrorShape
    {
        get => _state.ErrorShape;
        set => _state.ErrorShape = value;
    }

    /// <summary>Whether REST Cancel refuses any body, <c>{}</c> included (see <see cref="FakeServerOptions.StrictCancelBody"/>); switch at any time.</summary>
    public bool StrictCancelBody
    {
        get => _state.StrictCancelBody;
        set => _state.StrictCancelBody = value;
    }

    /// <summary>Starts a fake.</summary>
    /// <param name="options">The settings; null for an in-memory fake that serves both transports.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static async Task<FakeOperationsServer> StartAsync(FakeServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeServerOptions();
        options.Validate();
        var state = new FakeServerState(options);
        if (options.SeedRunningOperations > 0)
        {
            state.Store.AddRunning(options.SeedRunningOperations, "operations/seed-");
        }

        (WebApplication app, FakeHostBuilder.Listeners listeners) = FakeHostBuilder.Build(state);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (options.Hosting == FakeHosting.InMemory)
        {
            TestServer testServer = app.GetTestServer();
            Uri baseAddress = testServer.BaseAddress;
            return new FakeOperationsServer(state, app, testServer, baseAddress, baseAddress, baseAddress);
        }

        bool tls = options.ServerCertificate is not null;
        Uri grpc = LoopbackUri(listeners.ReservedGrpcPort ?? listeners.Grpc!.IPEndPoint!.Port, tls);
        Uri rest = LoopbackUri(listeners.Rest!.IPEndPoint!.Port, tls);
        Uri? restHttp2 = listeners.RestHttp2 is null ? null : LoopbackUri(listeners.RestHttp2.IPEndPoint!.Port, tls);
        var fake = new FakeOperationsServer(state, app, null, grpc, rest, restHttp2);
        if (options.AdminPort >= 0)
        {
            try
            {
                (fake._admin, fake.AdminAddress) = await Admin.AdminHost.StartAsync(fake, state, options.AdminPort, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await fake.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return fake;
    }

    /// <summary>Starts a fake with options set up by <paramref name="configure"/>.</summary>
    /// <param name="configure">Sets the options, starting from the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<FakeOperationsServer> StartAsync(Action<FakeServerOptions> configure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new FakeServerOptions();
        configure(options);
        return StartAsync(options, cancellationToken);
    }

    /// <summary>Answers UNIMPLEMENTED over gRPC for these RPCs only (replacing any earlier choice); none to serve all again.</summary>
    /// <param name="methods">The RPCs.</param>
    public void SetGrpcUnimplemented(params OperationsMethod[] methods) => _state.SetGrpcUnimplemented(methods);

    /// <summary>
    /// A handler for a gRPC channel. In memory it reaches the TestServer (and simulates the not-listening and
    /// HTTP/1.1-only modes); with sockets it is a plain <see cref="SocketsHttpHandler"/> (trusting exactly
    /// <see cref="FakeServerOptions.ServerCertificate"/> when set). The fake disposes it.
    /// </summary>
    public HttpMessageHandler CreateGrpcHandler()
        => Track<HttpMessageHandler>(_testServer is null ? CreateSocketsHandler() : new SimulatedGrpcFrontHandler(_testServer.CreateHandler(), _state));

    /// <summary>
    /// A handler for REST calls. In memory it reaches the TestServer; with sockets it is a <see cref="SocketsHttpHandler"/>
    /// that follows no redirects (and trusts exactly <see cref="FakeServerOptions.ServerCertificate"/> when set). The fake disposes it.
    /// </summary>
    public HttpMessageHandler CreateRestHandler()
    {
        if (_testServer is not null)
        {
            return Track(_testServer.CreateHandler());
        }

        SocketsHttpHandler handler = CreateSocketsHandler();
        handler.AllowAutoRedirect = false;
        return Track<HttpMessageHandler>(handler);
    }

    /// <summary>A gRPC channel to the fake, for driving it with the generated stub. The caller disposes the channel.</summary>
    public GrpcChannel CreateGrpcChannel()
        => GrpcChannel.ForAddress(GrpcAddress, new GrpcChannelOptions { HttpHandler = CreateGrpcHandler(), DisposeHttpClient = false });

    /// <summary>An <see cref="HttpClient"/> on the REST routes. The caller disposes it.</summary>
    /// <param name="http2">Whether to speak HTTP/2 (h2c with sockets: the <see cref="RestHttp2Address"/> listener).</param>
    public HttpClient CreateRestClient(bool http2 = false)
    {
        Uri address = http2 ? RestHttp2Address ?? throw new InvalidOperationException("This fake has no HTTP/2 REST listener (RestHttp2Port was -1).") : RestAddress;
        var client = new HttpClient(CreateRestHandler(), disposeHandler: false) { BaseAddress = address };
        if (http2)
        {
            client.DefaultRequestVersion = HttpVersion.Version20;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return client;
    }

    /// <summary>
    /// Options for a <see cref="VaultOperationsClient"/> on this fake: its addresses, in memory (or over TLS) its handlers,
    /// <see cref="VaultCredentials.None"/> or the required token, and a short timeout suited to tests.
    /// </summary>
    public VaultOperationsClientOptions CreateClientOptions()
    {
        var options = new VaultOperationsClientOptions
        {
            Endpoint = GrpcAddress,
            RestEndpoint = RestAddress,
            Credentials = RequiredBearerToken is null ? VaultCredentials.None : VaultCredentials.FromAccessToken(RequiredBearerToken),
        };
        if (_testServer is not null || _state.Options.ServerCertificate is not null)
        {
            options.GrpcHttpHandler = CreateGrpcHandler();
            options.RestHttpHandler = CreateRestHandler();
        }

        return options;
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> fires, then returns (without throwing); for a standalone fake process.</summary>
    /// <param name="cancellationToken">Ends the wait, e.g. on Ctrl+C.</param>
    public async Task RunUntilCancelledAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops the fake: held calls end at once, listeners close, handed-out handlers are disposed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _state.Stop();
        try
        {
            if (_admin is not null)
            {
                await _admin.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await _admin.DisposeAsync().ConfigureAwait(false);
            }

            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            lock (_handedOut)
            {
                foreach (IDisposable handler in _handedOut)
                {
                    handler.Dispose();
                }

                _handedOut.Clear();
            }
        }
    }

    private static bool IsListenerMode(GrpcServingMode mode) => mode is GrpcServingMode.NotListening or GrpcServingMode.Http1Only;

    private static Uri LoopbackUri(int port, bool tls) => new($"{(tls ? "https" : "http")}://127.0.0.1:{port}");

    /// <summary>A handler for sockets hosting; with TLS it trusts the fake's own certificate and nothing else.</summary>
    private SocketsHttpHandler CreateSocketsHandler()
    {
        var handler = new SocketsHttpHandler();
        if (_state.Options.ServerCertificate is { } certificate)
        {
            string pinned = certificate.GetCertHashString(HashAlgorithmName.SHA256);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && string.Equals(presented.GetCertHashString(HashAlgorithmName.SHA256), pinned, StringComparison.Ordinal),
            };
        }

        return handler;
    }

    private T Track<T>(T handler)
        where T : IDisposable
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_handedOut)
        {
            _handedOut.Add(handler);
        }

        return handler;
    }
}
