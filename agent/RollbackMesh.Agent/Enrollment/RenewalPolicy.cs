using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Agent.Enrollment;

/// <summary>When to renew: once less than a third of the certificate's lifetime is left.</summary>
internal static class RenewalPolicy
{
    /// <summary>The moment from which <paramref name="certificate"/> should be renewed.</summary>
    public static DateTimeOffset RenewAt(X509Certificate2 certificate)
    {
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        return notAfter - ((notAfter - notBefore) / 3);
    }

    /// <summary>Whether <paramref name="certificate"/> is due for renewal at <paramref name="now"/>.</summary>
    public static bool IsDue(X509Certificate2 certificate, DateTimeOffset now) => now >= RenewAt(certificate);
}
