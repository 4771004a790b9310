using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VaultGrpc.Tests.Proxies;

/// <summary>Certificate checks for the throwaway certificates of these tests: the system's trust store is never widened.</summary>
internal static class TlsTrust
{
    /// <summary>Accepts exactly <paramref name="expected"/> (the fake's self-signed certificate).</summary>
    public static RemoteCertificateValidationCallback Pinned(X509Certificate2 expected)
    {
        string pinned = expected.GetCertHashString(HashAlgorithmName.SHA256);
        return (_, presented, _, _) =>
            presented is not null && string.Equals(presented.GetCertHashString(HashAlgorithmName.SHA256), pinned, StringComparison.Ordinal);
    }

    /// <summary>Accepts a certificate for the right host that chains to <paramref name="authority"/> (an intercepting proxy's CA).</summary>
    public static RemoteCertificateValidationCallback IssuedBy(X509Certificate2 authority) => (_, presented, _, errors) =>
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    };
}
