using System.Security.Cryptography.X509Certificates;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Proxies;

/// <summary>
/// One mitmdump for the class (it takes seconds to start) and the certificate its upstream fakes
/// serve. Starts nothing when mitmdump is absent: the tests are skipped then.
/// </summary>
public sealed class InterceptingProxyFixture : IAsyncLifetime
{
    internal X509Certificate2 Certificate { get; } = SelfSignedCertificate.ForLoopback();

    internal MitmdumpServer Proxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (ProxyBinaries.Mitmdump.Path is not null)
        {
            Proxy = await MitmdumpServer.StartAsync(Certificate).WaitAsync(TimeSpan.FromSeconds(90));
        }
    }

    public async Task DisposeAsync()
    {
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        Certificate.Dispose();
    }
}
