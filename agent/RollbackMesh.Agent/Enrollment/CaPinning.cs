using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Agent.Enrollment;

/// <summary>
/// Trust in the coordinator: a CA whose SHA-256 fingerprint equals the one in the join token, and a server
/// certificate that chains to that CA alone (not the machine's store) and matches the address's host name.
/// </summary>
internal static class CaPinning
{
    /// <summary>Lower-case hex SHA-256 of the certificate's DER.</summary>
    public static string Fingerprint(X509Certificate certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>Whether <paramref name="ca"/> is the CA the token names.</summary>
    public static bool Matches(X509Certificate2 ca, string expectedFingerprint) =>
        string.Equals(Fingerprint(ca), expectedFingerprint, StringComparison.OrdinalIgnoreCase);

    /// <summary>A TLS server-certificate check that trusts <paramref name="ca"/> only.</summary>
    public static RemoteCertificateValidationCallback TrustOnly(X509Certificate2 ca) => (_, certificate, chain, errors) =>
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
