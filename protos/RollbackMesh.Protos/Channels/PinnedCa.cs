using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Protos.Channels;

/// <summary>
/// The one pinned-CA check: a certificate is trusted when it chains to one CA alone, never to the machine's trust
/// store. The agent and the CLI use it for the coordinator's certificate, the coordinator for client certificates.
/// </summary>
public static class PinnedCa
{
    /// <summary>id-kp-clientAuth (RFC 5280 4.2.1.12): the usage agent and operator certificates carry.</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

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

            using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return ChainsTo(server, ca, intermediates: chain?.ChainPolicy.ExtraStore);
        };
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to <paramref name="ca"/> and nothing else (no revocation check: the
    /// coordinator keeps its own revocation list).
    /// </summary>
    /// <param name="certificate">The certificate to judge.</param>
    /// <param name="ca">The one trusted root.</param>
    /// <param name="checkValidityPeriod">False when the caller judges NotBefore/NotAfter itself (against its own clock, or to report expiry on its own).</param>
    /// <param name="requiredUsage">An extended key usage OID the chain must allow, e.g. <see cref="ClientAuthenticationOid"/>.</param>
    /// <param name="intermediates">Extra certificates the chain may use between the two.</param>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca, bool checkValidityPeriod = true,
        string? requiredUsage = null, X509Certificate2Collection? intermediates = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(ca);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!checkValidityPeriod)
        {
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        }

        if (requiredUsage is not null)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(requiredUsage));
        }

        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        }

        // Custom root trust ends the chain at a certificate of the custom store, which holds the CA alone; the
        // comparison says so explicitly rather than relying on that.
        return chain.Build(certificate)
            && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span);
    }
}
