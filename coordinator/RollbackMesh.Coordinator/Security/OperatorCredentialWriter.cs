using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// <c>operator add NAME</c>: a new ECDSA P-256 key and an operator certificate (OU=operator, operator EKU) written as
/// NAME.crt and NAME.key (0600) beside a copy of the CA certificate. Existing files are never overwritten.
/// </summary>
internal sealed class OperatorCredentialWriter(CertificateAuthority ca, CertificateLedger ledger, SecurityOptions options, TimeProvider time)
{
    /// <summary>Writes the credentials for <paramref name="name"/> into <paramref name="directory"/>; returns the paths.</summary>
    /// <exception cref="ArgumentException">The name is not valid.</exception>
    /// <exception cref="IOException">NAME.crt or NAME.key exists already.</exception>
    public (string Certificate, string Key, string Ca) Write(string name, string directory)
    {
        if (!CertificateNames.IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid operator name (1-63 of a-z, 0-9, '.', '_', '-').", nameof(name));
        }

        Directory.CreateDirectory(directory);
        var certificatePath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        var caPath = Path.Combine(directory, "ca.crt");
        if (File.Exists(certificatePath) || File.Exists(keyPath))
        {
            throw new IOException($"{certificatePath} or {keyPath} already exists; not overwritten.");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = ca.IssueClient(new PublicKey(key), PeerKind.Operator, name, time.GetUtcNow(), options.OperatorCertificateLifetime);
        if (!PemFile.TryCreateNew(keyPath, key.ExportPkcs8PrivateKeyPem(), secret: true))
        {
            throw new IOException($"{keyPath} already exists; not overwritten.");
        }

        PemFile.TryCreateNew(certificatePath, certificate.ExportCertificatePem(), secret: false);
        if (!File.Exists(caPath))
        {
            PemFile.TryCreateNew(caPath, ca.Certificate.ExportCertificatePem(), secret: false);
        }

        ledger.RecordIssued(certificate, PeerKind.Operator, name);
        return (certificatePath, keyPath, caPath);
    }
}
