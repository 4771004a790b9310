namespace VaultGrpc.Testing;

/// <summary>Where the fake runs.</summary>
public enum FakeHosting
{
    /// <summary>In memory on an ASP.NET Core TestServer: no sockets; the client uses the fake's handlers.</summary>
    InMemory,

    /// <summary>Kestrel on 127.0.0.1: gRPC on an h2c listener, REST on an HTTP/1.1 and an h2c listener.</summary>
    Sockets,
}
