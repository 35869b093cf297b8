using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Protos.Tests.Infrastructure;

/// <summary>Self-signed certificates made in the test with CertificateRequest.</summary>
internal static class TestCertificates
{
    /// <summary>A self-signed certificate for localhost and 127.0.0.1, usable as server and client certificate.</summary>
    public static X509Certificate2 Create(string commonName = "localhost")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        // Self-signed and trusted directly as its own root by the Python peer: mark it a CA, as openssl's default does.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        // SslStream on Linux wants a key it can use outside this process's ephemeral handle: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Writes the certificate and its private key as PEM files for the Python peer.</summary>
    public static (string CertPath, string KeyPath) WritePem(X509Certificate2 certificate, string directory)
    {
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("No private key.");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }
}
