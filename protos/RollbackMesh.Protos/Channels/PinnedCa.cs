using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Protos.Channels;

/// <summary>Trust in the coordinator: its certificate chains to the pinned CA alone and matches the host name dialled.</summary>
public static class PinnedCa
{
    /// <summary>A TLS server-certificate check that trusts <paramref name="ca"/> only (not the machine's store).</summary>
    public static RemoteCertificateValidationCallback TrustOnly(X509Certificate2 ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        return (_, certificate, chain, errors) =>
        {
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            {
                return false;
            }

            using var pinned = new X509Chain();
            pinned.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            pinned.ChainPolicy.CustomTrustStore.Add(ca);
            pinned.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                pinned.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            }

            using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return pinned.Build(server);
        };
    }
}
