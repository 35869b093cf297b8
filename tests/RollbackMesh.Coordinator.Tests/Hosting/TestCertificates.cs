using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Coordinator.Tests.Hosting;

/// <summary>A throwaway CA with server and client certificates, written as PEM files into a directory.</summary>
internal sealed class TestCertificates
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string directory)
    {
        Directory = directory;
        var request = new CertificateRequest("CN=RollbackMesh test CA", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CaPath = Path.Combine(directory, "ca.pem");
        File.WriteAllText(CaPath, Ca.ExportCertificatePem());
    }

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public string CaPath { get; }

    /// <summary>Issues a leaf for <paramref name="commonName"/>; returns the certificate (with key) and its PEM paths.</summary>
    public (X509Certificate2 Certificate, string CertPath, string KeyPath) Issue(string commonName, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(Ca.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey),
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        var withKey = issued.CopyWithPrivateKey(key);
        var certPath = Path.Combine(Directory, commonName + ".pem");
        var keyPath = Path.Combine(Directory, commonName + ".key");
        File.WriteAllText(certPath, withKey.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (withKey, certPath, keyPath);
    }
}
