using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// Which client certificates were issued to whom, and which are revoked. <c>node remove NAME</c> revokes every
/// certificate issued to the node; the serials are refused from then on by <see cref="PeerIdentityResolver"/>.
/// </summary>
internal sealed class CertificateLedger(SecurityStateFile state, TimeProvider time)
{
    /// <summary>Records that <paramref name="certificate"/> was issued to <paramref name="name"/>.</summary>
    public void RecordIssued(X509Certificate2 certificate, PeerKind kind, string name)
    {
        var issued = new IssuedCertificate(
            certificate.SerialNumber, kind, name, time.GetUtcNow(), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
        var now = time.GetUtcNow();
        state.Update(s => (s with { Issued = [.. s.Issued.Where(i => i.NotAfter > now), issued] }, 0));
    }

    /// <summary>Whether the certificate with <paramref name="serial"/> (hex) is revoked.</summary>
    public bool IsRevoked(string serial) =>
        state.Read().Revoked.Any(r => string.Equals(r.Serial, serial, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="name"/> holds an unexpired, unrevoked certificate of <paramref name="kind"/>.</summary>
    public bool HasActiveCertificate(PeerKind kind, string name)
    {
        var current = state.Read();
        var now = time.GetUtcNow();
        return current.Issued.Any(i => i.Kind == kind && i.Name == name && i.NotAfter > now
            && !current.Revoked.Any(r => string.Equals(r.Serial, i.Serial, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Revokes every certificate issued to <paramref name="name"/> of <paramref name="kind"/>; returns how many.</summary>
    public int RevokeAll(PeerKind kind, string name, string reason)
    {
        var now = time.GetUtcNow();
        return state.Update(s =>
        {
            var serials = s.Issued
                .Where(i => i.Kind == kind && i.Name == name)
                .Select(i => i.Serial)
                .Where(serial => !s.Revoked.Any(r => r.Serial == serial))
                .ToList();
            if (serials.Count == 0)
            {
                return (s, 0);
            }

            return (s with { Revoked = [.. s.Revoked, .. serials.Select(serial => new RevokedCertificate(serial, name, now, reason))] }, serials.Count);
        });
    }

    /// <summary>Revokes one certificate by serial (e.g. the one a renewal replaced).</summary>
    public void Revoke(string serial, string name, string reason)
    {
        var now = time.GetUtcNow();
        state.Update(s => s.Revoked.Any(r => r.Serial == serial)
            ? (s, 0)
            : (s with { Revoked = [.. s.Revoked, new RevokedCertificate(serial, name, now, reason)] }, 0));
    }
}
