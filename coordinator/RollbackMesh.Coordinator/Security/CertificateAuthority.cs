using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// The coordinator's private CA (ECDSA P-256): signs the server certificate, node certificates (from their CSRs) and
/// operator certificates. Serial numbers are 128 random bits, so they do not collide and reveal nothing.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    /// <summary>How long a new CA is valid.</summary>
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);

    private readonly ECDsa _key;

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
        Fingerprint = FingerprintOf(certificate);
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Lower-case hex SHA-256 of the CA certificate's DER encoding: what join tokens carry.</summary>
    public string Fingerprint { get; }

    /// <summary>Creates a new self-signed CA valid from now for <see cref="CaLifetime"/>.</summary>
    public static CertificateAuthority Create(string commonName, DateTimeOffset now)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=RollbackMesh", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var withKey = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(CaLifetime));
        return new CertificateAuthority(X509CertificateLoader.LoadCertificate(withKey.RawData), key);
    }

    /// <summary>Loads the CA from its PEM files.</summary>
    public static CertificateAuthority Load(SecurityPaths paths)
    {
        var certificate = X509CertificateLoader.LoadCertificateFromFile(paths.CaCertificate);
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(paths.CaKey));
        return new CertificateAuthority(certificate, key);
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="certificate"/>'s DER encoding.</summary>
    public static string FingerprintOf(X509Certificate certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>The CA private key as PKCS#8 PEM.</summary>
    public string ExportKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>Signs a TLS server certificate for <paramref name="dnsNames"/> and <paramref name="addresses"/>.</summary>
    public X509Certificate2 IssueServer(PublicKey publicKey, string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses,
        DateTimeOffset now, TimeSpan lifetime)
    {
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}, O=RollbackMesh"), publicKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            san.AddDnsName(dns);
        }

        foreach (var address in addresses.Distinct())
        {
            san.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CertificateNames.ServerAuthOid)], false));
        return Sign(request, X509KeyUsageFlags.DigitalSignature, now, lifetime);
    }

    /// <summary>Signs a client certificate binding <paramref name="publicKey"/> to a node or operator name.</summary>
    public X509Certificate2 IssueClient(PublicKey publicKey, PeerKind kind, string name, DateTimeOffset now, TimeSpan lifetime)
    {
        if (!CertificateNames.IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid name.", nameof(name));
        }

        var unit = kind == PeerKind.Node ? CertificateNames.NodeUnit : CertificateNames.OperatorUnit;
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}, OU={unit}, O=RollbackMesh"), publicKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(CertificateNames.IdentityUri(kind, name));
        request.CertificateExtensions.Add(san.Build());
        var usages = new OidCollection { new Oid(CertificateNames.ClientAuthOid) };
        if (kind == PeerKind.Operator)
        {
            usages.Add(new Oid(CertificateNames.OperatorEkuOid));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        return Sign(request, X509KeyUsageFlags.DigitalSignature, now, lifetime);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private X509Certificate2 Sign(CertificateRequest request, X509KeyUsageFlags usage, DateTimeOffset now, TimeSpan lifetime)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var notAfter = now.Add(lifetime);
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive INTEGER
        serial[0] |= 0x01; // and never shortened by DER's leading-zero rule
        var generator = X509SignatureGenerator.CreateForECDsa(_key);
        return request.Create(Certificate.SubjectName, generator, now.AddMinutes(-5), notAfter, serial);
    }
}
