using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Agent.Enrollment;

/// <summary>
/// Trust in a new coordinator: a CA whose SHA-256 fingerprint equals the one in the join token. Once it matches, the
/// connection trusts that CA alone (<see cref="RollbackMesh.Protos.Channels.PinnedCa"/>).
/// </summary>
internal static class CaPinning
{
    /// <summary>Lower-case hex SHA-256 of the certificate's DER.</summary>
    public static string Fingerprint(X509Certificate certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>Whether <paramref name="ca"/> is the CA the token names.</summary>
    public static bool Matches(X509Certificate2 ca, string expectedFingerprint) =>
        string.Equals(Fingerprint(ca), expectedFingerprint, StringComparison.OrdinalIgnoreCase);
}
