using System.Security.Cryptography.X509Certificates;
using Google.Protobuf.Reflection;

namespace VaultGrpc.Testing;

/// <summary>Settings of a <see cref="FakeOperationsServer"/>, read once when it starts.</summary>
public sealed class FakeServerOptions
{
    /// <summary>Where the fake runs. Default <see cref="FakeHosting.InMemory"/>.</summary>
    public FakeHosting Hosting { get; set; } = FakeHosting.InMemory;

    /// <summary>
    /// How gRPC answers at start; <see cref="FakeOperationsServer.GrpcMode"/> changes it later. Default
    /// <see cref="GrpcServingMode.Serve"/>.
    /// </summary>
    public GrpcServingMode GrpcMode { get; set; } = GrpcServingMode.Serve;

    /// <summary>Port of the gRPC (h2c) listener with sockets hosting. Default 0: any free port.</summary>
    public int GrpcPort { get; set; }

    /// <summary>Port of the REST HTTP/1.1 listener with sockets hosting. Default 0: any free port.</summary>
    public int RestPort { get; set; }

    /// <summary>Port of the REST h2c listener with sockets hosting. Default 0: any free port; -1 for none.</summary>
    public int RestHttp2Port { get; set; }

    /// <summary>
    /// With sockets hosting, the certificate every listener serves TLS with: the addresses become
    /// <c>https://</c>, and ALPN offers what each listener speaks (h2 for gRPC and REST-h2, http/1.1 for
    /// REST). For tests of TLS paths such as proxies; the fake's own handlers and client options trust
    /// exactly this certificate. The caller keeps ownership. Default null: plaintext (h2c and HTTP/1.1).
    /// </summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>
    /// When set, every call must carry <c>Authorization: Bearer</c> with this token, or it is answered
    /// <c>UNAUTHENTICATED</c> (HTTP 401 on REST). Default null: no check.
    /// </summary>
    public string? RequiredBearerToken { get; set; }

    /// <summary>The JSON shape of REST errors. Default <see cref="RestErrorShape.Aip193"/>; <see cref="FakeOperationsServer.RestErrorShape"/> changes it later.</summary>
    public RestErrorShape RestErrorShape { get; set; } = RestErrorShape.Aip193;

    /// <summary>
    /// Whether REST Cancel refuses any body, <c>{}</c> included, with <c>400 INVALID_ARGUMENT</c> (to test that a client
    /// sends none). Default false: no bytes and <c>{}</c> are both the empty request, as a real server takes them; a body
    /// with fields is refused either way. <see cref="FakeOperationsServer.StrictCancelBody"/> changes it later.
    /// </summary>
    public bool StrictCancelBody { get; set; }

    /// <summary>
    /// Port of the admin API (HTTP/JSON on 127.0.0.1, see <see cref="FakeOperationsServer.AdminAddress"/>): seed
    /// operations, switch modes, script faults and read the journal from any language. Needs
    /// <see cref="FakeHosting.Sockets"/>. Default -1: no admin API; 0 for any free port.
    /// </summary>
    public int AdminPort { get; set; } = -1;

    /// <summary>
    /// Whether gRPC also serves <c>grpc.health.v1.Health</c>: <c>""</c> is always <c>SERVING</c>;
    /// <c>google.longrunning.Operations</c> is <c>SERVING</c> while <see cref="FakeOperationsServer.GrpcMode"/> is
    /// <see cref="GrpcServingMode.Serve"/>, else <c>NOT_SERVING</c>. Default false (the standalone fake turns it on).
    /// </summary>
    public bool ServeHealth { get; set; }

    /// <summary>Whether gRPC also serves server reflection (<c>grpc.reflection.v1</c> and <c>v1alpha</c>). Default false (the standalone fake turns it on).</summary>
    public bool ServeReflection { get; set; }

    /// <summary>How many running operations to add at start, named <c>operations/seed-00000</c>, … Default 0.</summary>
    public int SeedRunningOperations { get; set; }

    /// <summary>
    /// Most entries the call journal keeps; past that the oldest are forgotten (counted in
    /// <see cref="CallJournal.Dropped"/>), so a long-running standalone fake stays bounded. Default 100,000.
    /// </summary>
    public int JournalCapacity { get; set; } = 100_000;

    /// <summary>Seed of the random numbers that decide fault rules given as a fraction of calls. Default 1.</summary>
    public int RandomSeed { get; set; } = 1;

    /// <summary>Page size of ListOperations when the request asks for none (0). Default 50.</summary>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>Largest page ListOperations returns, whatever is asked. Default 1000.</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>How long WaitOperation waits when the request has no timeout. Default 30 s.</summary>
    public TimeSpan DefaultWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait of WaitOperation, whatever the request asks. Default 5 minutes.</summary>
    public TimeSpan MaxWaitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Message types that may appear in seeded <c>metadata</c>/<c>response</c> <c>Any</c> values, so REST can
    /// write them as JSON. The well-known types and the <c>google.rpc</c> error details are always known.
    /// Default empty.
    /// </summary>
    public IList<MessageDescriptor> AnyTypes { get; } = new List<MessageDescriptor>();

    /// <summary>
    /// The fake's clock: delayed cancels (<see cref="FakeCancelBehaviour.HonourAfter"/>), operations that
    /// progress over time and the waits of WaitOperation run on it, so a test moves them with its own
    /// fake clock (give the client the same one). Default <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        var errors = new List<string>();
        foreach ((string name, int port) in new[] { (nameof(GrpcPort), GrpcPort), (nameof(RestPort), RestPort) })
        {
            if (port is < 0 or > 65535)
            {
                errors.Add($"{name} must be 0 (any) or a port number (was {port}).");
            }
        }

        if (AdminPort is < -1 or > 65535)
        {
            errors.Add($"AdminPort must be -1 (none), 0 (any) or a port number (was {AdminPort}).");
        }

        if (AdminPort >= 0 && Hosting != FakeHosting.Sockets)
        {
            errors.Add("AdminPort needs FakeHosting.Sockets: the admin API listens on its own loopback port.");
        }

        if (RestHttp2Port is < -1 or > 65535)
        {
            errors.Add($"RestHttp2Port must be -1 (none), 0 (any) or a port number (was {RestHttp2Port}).");
        }

        if (SeedRunningOperations < 0)
        {
            errors.Add($"SeedRunningOperations must not be negative (was {SeedRunningOperations}).");
        }

        if (JournalCapacity <= 0)
        {
            errors.Add($"JournalCapacity must be positive (was {JournalCapacity}).");
        }

        if (DefaultPageSize <= 0 || MaxPageSize < DefaultPageSize)
        {
            errors.Add($"DefaultPageSize ({DefaultPageSize}) must be positive and not above MaxPageSize ({MaxPageSize}).");
        }

        if (DefaultWaitTimeout <= TimeSpan.Zero || MaxWaitTimeout < DefaultWaitTimeout)
        {
            errors.Add($"DefaultWaitTimeout ({DefaultWaitTimeout}) must be positive and not above MaxWaitTimeout ({MaxWaitTimeout}).");
        }

        if (RequiredBearerToken is not null && (RequiredBearerToken.Length == 0 || RequiredBearerToken.Any(char.IsWhiteSpace)))
        {
            errors.Add("RequiredBearerToken must be non-empty and without white space.");
        }

        if (ServerCertificate is not null && Hosting != FakeHosting.Sockets)
        {
            errors.Add("ServerCertificate needs FakeHosting.Sockets: in memory there is no TLS.");
        }

        if (ServerCertificate is not null && !ServerCertificate.HasPrivateKey)
        {
            errors.Add("ServerCertificate must have its private key.");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider must not be null.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid FakeServerOptions: " + string.Join(" ", errors), "options");
        }
    }
}
