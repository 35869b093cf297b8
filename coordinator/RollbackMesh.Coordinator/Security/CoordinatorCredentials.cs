using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Coordinator.Security;

/// <summary>The material <c>serve</c> needs, loaded once at start from <see cref="SecurityPaths"/>.</summary>
internal sealed class CoordinatorCredentials : IDisposable
{
    private CoordinatorCredentials(CertificateAuthority authority, X509Certificate2 serverCertificate)
    {
        Authority = authority;
        ServerCertificate = serverCertificate;
    }

    /// <summary>The CA (with its key, to sign enrollments).</summary>
    public CertificateAuthority Authority { get; }

    /// <summary>The TLS server certificate with its private key.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>Loads the CA and server certificate; tells the operator to run <c>init</c> when they are missing.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    public static CoordinatorCredentials Load(SecurityPaths paths)
    {
        foreach (var file in new[] { paths.CaCertificate, paths.CaKey, paths.ServerCertificate, paths.ServerKey })
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{file} is missing; run 'rollbackmesh-coordinator init --data {paths.DataDirectory}' first.", file);
            }
        }

        return new CoordinatorCredentials(CertificateAuthority.Load(paths), X509Certificate2.CreateFromPemFile(paths.ServerCertificate, paths.ServerKey));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Authority.Dispose();
        ServerCertificate.Dispose();
    }
}
