using System.Security.Cryptography.X509Certificates;
using VaultGrpc.Tests.GrpcCalls.Peers;

namespace VaultGrpc.Tests.Auth;

/// <summary>Two real gRPC servers sharing one journal: plaintext h2c and TLS with a throwaway certificate.</summary>
public sealed class GrpcServersFixture : IAsyncLifetime
{
    internal X509Certificate2 Certificate { get; } = SelfSignedCertificate.ForLoopback();

    internal RequestJournal Journal { get; } = new();

    internal KestrelPeer Plaintext { get; private set; } = null!;

    internal KestrelPeer Tls { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Task<KestrelPeer> plaintext = GrpcPeer.StartAsync(Journal);
        Task<KestrelPeer> tls = GrpcPeer.StartAsync(Journal, Certificate);
        Plaintext = await plaintext;
        Tls = await tls;
    }

    public async Task DisposeAsync()
    {
        if (Plaintext is not null)
        {
            await Plaintext.DisposeAsync();
        }

        if (Tls is not null)
        {
            await Tls.DisposeAsync();
        }

        Certificate.Dispose();
    }
}
