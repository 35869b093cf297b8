using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using RollbackMesh.Protos.Channels;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// Turns a client certificate into a <see cref="PeerIdentity"/>: it must chain to this coordinator's CA (and no other
/// root), be within its validity at the injected time, not be revoked, carry the client-auth EKU and exactly one
/// identity URI whose name equals the CN. The kind comes from the URI and must agree with the operator EKU.
/// </summary>
internal sealed class PeerIdentityResolver(X509Certificate2 caCertificate, CertificateLedger ledger, TimeProvider time)
{
    /// <summary>Resolves <paramref name="certificate"/>; never throws for a bad certificate.</summary>
    public PeerIdentityResult Resolve(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return PeerIdentityResult.Refuse(PeerRefusal.NoCertificate, "no client certificate");
        }

        if (!ChainsToCa(certificate))
        {
            return PeerIdentityResult.Refuse(PeerRefusal.UntrustedIssuer, $"certificate {certificate.SerialNumber} is not issued by this coordinator's CA");
        }

        var now = time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now >= certificate.NotAfter.ToUniversalTime())
        {
            return PeerIdentityResult.Refuse(PeerRefusal.OutsideValidity, $"certificate {certificate.SerialNumber} is not valid now (valid {certificate.NotBefore:O} to {certificate.NotAfter:O})");
        }

        var usages = EnhancedKeyUsages(certificate);
        if (!usages.Contains(PinnedCa.ClientAuthenticationOid) || IdentityOf(certificate) is not { } identity)
        {
            return PeerIdentityResult.Refuse(PeerRefusal.NoIdentity, $"certificate {certificate.SerialNumber} carries no client identity");
        }

        var isOperator = usages.Contains(CertificateNames.OperatorEkuOid);
        if (isOperator != (identity.Kind == PeerKind.Operator))
        {
            return PeerIdentityResult.Refuse(PeerRefusal.NoIdentity, $"certificate {certificate.SerialNumber} has a {identity.Kind} identity but not the matching key usage");
        }

        if (ledger.IsRevoked(certificate.SerialNumber))
        {
            return PeerIdentityResult.Refuse(PeerRefusal.Revoked, $"certificate {certificate.SerialNumber} of {identity.Kind} {identity.Name} is revoked");
        }

        return PeerIdentityResult.Accept(new PeerIdentity(
            identity.Kind, identity.Name, certificate.SerialNumber, new DateTimeOffset(certificate.NotAfter.ToUniversalTime())));
    }

    /// <summary>Resolves and additionally requires <paramref name="kind"/>.</summary>
    public PeerIdentityResult Resolve(X509Certificate2? certificate, PeerKind kind)
    {
        var result = Resolve(certificate);
        return result.Identity is { } identity && identity.Kind != kind
            ? PeerIdentityResult.Refuse(PeerRefusal.WrongKind, $"{identity.Kind} {identity.Name} may not act as a {kind}")
            : result;
    }

    /// <summary>Whether <paramref name="certificate"/> chains to the CA, trusting nothing else (used in the TLS handshake too).</summary>
    // Validity is checked against the injected clock above, so tests can move time.
    public bool ChainsToCa(X509Certificate2 certificate) => PinnedCa.ChainsTo(certificate, caCertificate, checkValidityPeriod: false);

    private static HashSet<string> EnhancedKeyUsages(X509Certificate2 certificate)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var extension in certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>())
        {
            foreach (var oid in extension.EnhancedKeyUsages)
            {
                if (oid.Value is { } value)
                {
                    set.Add(value);
                }
            }
        }

        return set;
    }

    private static (PeerKind Kind, string Name)? IdentityOf(X509Certificate2 certificate)
    {
        var uris = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(UrisOf)
            .Where(u => u.StartsWith(CertificateNames.UriScheme + "://", StringComparison.Ordinal))
            .ToList();
        if (uris.Count != 1 || !Uri.TryCreate(uris[0], UriKind.Absolute, out var uri))
        {
            return null;
        }

        PeerKind? kind = uri.Host switch
        {
            CertificateNames.NodeUnit => PeerKind.Node,
            CertificateNames.OperatorUnit => PeerKind.Operator,
            _ => null,
        };
        var name = uri.AbsolutePath.TrimStart('/');
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return kind is { } k && CertificateNames.IsValidName(name) && name == commonName ? (k, name) : null;
    }

    // .NET enumerates only DNS names and IP addresses of a SAN; URIs are read from the DER (RFC 5280 GeneralName [6]).
    private static IEnumerable<string> UrisOf(X509SubjectAlternativeNameExtension extension)
    {
        var uris = new List<string>();
        try
        {
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            var names = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (names.HasData)
            {
                if (names.PeekTag().HasSameClassAndValue(uriTag))
                {
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            return [];
        }

        return uris;
    }
}
