using System.Net;
using System.Security.Cryptography;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// <c>rollbackmesh-coordinator init --data DIR [--san NAME]...</c>: creates the CA (ECDSA P-256, 10 years) and the
/// server certificate (SANs localhost, 127.0.0.1, ::1, the host name and each --san) with 0600 PEM keys. Existing keys
/// are never overwritten: a second run reports what it kept, so it is safe to run from an installer.
/// </summary>
internal sealed class CoordinatorInitializer(TimeProvider time)
{
    /// <summary>Lifetime of the server certificate (capped at the CA's).</summary>
    public static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(825);

    /// <summary>Initialises <paramref name="paths"/>; progress lines go to <paramref name="output"/>.</summary>
    public InitResult Initialize(SecurityPaths paths, IReadOnlyCollection<string> extraSans, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(paths);
        PemFile.EnsurePrivateDirectory(paths.PkiDirectory);
        var now = time.GetUtcNow();
        var caCreated = false;
        if (File.Exists(paths.CaKey) || File.Exists(paths.CaCertificate))
        {
            output.WriteLine($"CA already exists ({paths.CaCertificate}); kept.");
        }
        else
        {
            using var created = CertificateAuthority.Create("RollbackMesh CA", now);
            // The key first: if the process dies in between, the next run finds a key and does not replace it.
            PemFile.TryCreateNew(paths.CaKey, created.ExportKeyPem(), secret: true);
            PemFile.TryCreateNew(paths.CaCertificate, created.Certificate.ExportCertificatePem(), secret: false);
            caCreated = true;
            output.WriteLine($"Created CA {paths.CaCertificate} (key {paths.CaKey}, mode 0600).");
        }

        using var ca = CertificateAuthority.Load(paths);
        var serverCreated = false;
        if (File.Exists(paths.ServerKey) || File.Exists(paths.ServerCertificate))
        {
            output.WriteLine($"Server certificate already exists ({paths.ServerCertificate}); kept.");
        }
        else
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var (dns, addresses) = SubjectNames(extraSans);
            using var certificate = ca.IssueServer(
                new System.Security.Cryptography.X509Certificates.PublicKey(key), Dns.GetHostName(), dns, addresses, now, ServerLifetime);
            PemFile.TryCreateNew(paths.ServerKey, key.ExportPkcs8PrivateKeyPem(), secret: true);
            PemFile.TryCreateNew(paths.ServerCertificate, certificate.ExportCertificatePem(), secret: false);
            serverCreated = true;
            output.WriteLine($"Created server certificate {paths.ServerCertificate} for {string.Join(", ", dns.Concat(addresses.Select(a => a.ToString())))}.");
        }

        output.WriteLine($"CA fingerprint (sha256): {ca.Fingerprint}");
        return new InitResult(caCreated, serverCreated, ca.Fingerprint);
    }

    /// <summary>The server certificate's SANs: fixed loopback names, the host name, then the extra values.</summary>
    internal static (List<string> Dns, List<IPAddress> Addresses) SubjectNames(IEnumerable<string> extra)
    {
        var dns = new List<string> { "localhost" };
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        var host = Dns.GetHostName();
        if (!string.IsNullOrWhiteSpace(host))
        {
            dns.Add(host);
        }

        foreach (var value in extra.Select(v => v.Trim()).Where(v => v.Length > 0))
        {
            if (IPAddress.TryParse(value, out var address))
            {
                addresses.Add(address);
            }
            else if (Uri.CheckHostName(value) == UriHostNameType.Dns)
            {
                dns.Add(value);
            }
            else
            {
                throw new ArgumentException($"--san '{value}' is neither a DNS name nor an IP address.", nameof(extra));
            }
        }

        return (dns.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), addresses.Distinct().ToList());
    }
}
