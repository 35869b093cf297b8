using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using RollbackMesh.Protos.Channels;
using RollbackMesh.Protos.Enrollment;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Enrollment;

/// <summary>
/// Gets the agent its client certificate. Enrollment (first contact, with a join token):
/// <list type="number">
/// <item>ask the coordinator for its CA over TLS that is not yet trusted (nothing secret is sent);</item>
/// <item>refuse unless the CA's SHA-256 equals the token's fingerprint;</item>
/// <item>create the private key locally (0600; it never leaves the node), and send the token and a CSR over TLS that
/// now trusts that CA only;</item>
/// <item>store the CA, the certificate and the key.</item>
/// </list>
/// Renewal sends a CSR for a new key over mTLS with the current certificate (no token).
/// </summary>
internal sealed class EnrollmentClient(TimeProvider time)
{
    /// <summary>Enrolls <paramref name="nodeName"/> at <paramref name="address"/> and writes <paramref name="paths"/>.</summary>
    /// <exception cref="EnrollmentException">The token is malformed, the CA does not match, or the coordinator refused.</exception>
    public async Task<X509Certificate2> EnrollAsync(Uri address, string tokenText, string nodeName, AgentCredentialPaths paths, CancellationToken ct)
    {
        if (!JoinToken.TryParse(tokenText, out var token))
        {
            throw new EnrollmentException("The join token is malformed (expected K10<fingerprint>::<id>.<secret>).");
        }

        var ca = await DiscoverCaAsync(address, ct).ConfigureAwait(false);
        if (!CaPinning.Matches(ca, token.CaFingerprint))
        {
            throw new EnrollmentException($"The coordinator at {address} presented CA {CaPinning.Fingerprint(ca)}, not the CA {token.CaFingerprint} named by the token; nothing was sent.");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new EnrollRequest { Token = token.Format(), NodeName = nodeName, CsrDer = ByteString.CopyFrom(Csr(key, nodeName)) };
        var response = await CallAsync(address, request, new ChannelSettings { PinnedCa = ca }, ct).ConfigureAwait(false);
        return Store(response, key, ca, paths);
    }

    /// <summary>Renews the certificate in <paramref name="paths"/> with a new key.</summary>
    /// <exception cref="EnrollmentException">The coordinator refused (e.g. the node was removed).</exception>
    public async Task<X509Certificate2> RenewAsync(Uri address, AgentCredentialPaths paths, CancellationToken ct)
    {
        using var ca = X509CertificateLoader.LoadCertificateFromFile(paths.Ca);
        using var current = X509Certificate2.CreateFromPemFile(paths.Certificate, paths.Key);
        var nodeName = current.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new EnrollRequest { NodeName = nodeName, CsrDer = ByteString.CopyFrom(Csr(key, nodeName)) };
        var options = new ChannelSettings { PinnedCa = ca, ClientCertificate = current };
        var response = await CallAsync(address, request, options, ct).ConfigureAwait(false);
        return Store(response, key, ca, paths);
    }

    /// <summary>
    /// Renews when less than a third of the current certificate's lifetime is left (per <see cref="RenewalPolicy"/>);
    /// returns whether it renewed. Meant to be called at start and then periodically (e.g. hourly) by the agent host.
    /// </summary>
    public async Task<bool> RenewIfDueAsync(Uri address, AgentCredentialPaths paths, CancellationToken ct)
    {
        using (var current = X509CertificateLoader.LoadCertificateFromFile(paths.Certificate))
        {
            if (!RenewalPolicy.IsDue(current, time.GetUtcNow()))
            {
                return false;
            }
        }

        using var renewed = await RenewAsync(address, paths, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>The coordinator's CA, fetched without trusting the connection (the caller checks the fingerprint).</summary>
    internal static async Task<X509Certificate2> DiscoverCaAsync(Uri address, CancellationToken ct)
    {
        var options = new ChannelSettings { ServerCertificateValidation = (_, _, _, _) => true };
        var response = await CallAsync(address, new EnrollRequest(), options, ct).ConfigureAwait(false);
        try
        {
            return X509CertificateLoader.LoadCertificate(response.CaCertificateDer.Span);
        }
        catch (CryptographicException ex)
        {
            throw new EnrollmentException($"The coordinator at {address} sent no readable CA certificate.", ex);
        }
    }

    private static byte[] Csr(ECDsa key, string nodeName) =>
        new CertificateRequest(new X500DistinguishedName($"CN={nodeName}"), key, HashAlgorithmName.SHA256).CreateSigningRequest();

    private static async Task<EnrollResponse> CallAsync(Uri address, EnrollRequest request, ChannelSettings settings, CancellationToken ct)
    {
        if (address.Scheme != Uri.UriSchemeHttps)
        {
            throw new EnrollmentException($"Enrollment needs an https:// coordinator address, not {address}.");
        }

        using var channel = RollbackMeshChannel.Create(address, settings);
        try
        {
            return await new AgentHub.AgentHubClient(channel)
                .EnrollAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            throw new EnrollmentException($"The coordinator at {address} refused: {ex.Status.StatusCode}: {ex.Status.Detail}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new EnrollmentException($"Could not reach the coordinator at {address} over trusted TLS: {ex.Message}", ex);
        }
    }

    private X509Certificate2 Store(EnrollResponse response, ECDsa key, X509Certificate2 ca, AgentCredentialPaths paths)
    {
        var certificate = X509CertificateLoader.LoadCertificate(response.CertificateDer.Span);
        using var publicKey = certificate.GetECDsaPublicKey();
        if (publicKey is null || !publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo())
            || certificate.NotAfter.ToUniversalTime() <= time.GetUtcNow().UtcDateTime)
        {
            throw new EnrollmentException("The coordinator returned a certificate that is not for this node's key or already expired.");
        }

        // Key and certificate are written to temporary files first, then renamed, so a crash leaves the old pair usable.
        var keyTemp = CredentialFile.WriteTemporary(paths.Key, key.ExportPkcs8PrivateKeyPem(), secret: true);
        var certificateTemp = CredentialFile.WriteTemporary(paths.Certificate, certificate.ExportCertificatePem(), secret: false);
        CredentialFile.Replace(paths.Ca, ca.ExportCertificatePem(), secret: false);
        File.Move(keyTemp, paths.Key, overwrite: true);
        File.Move(certificateTemp, paths.Certificate, overwrite: true);
        return certificate;
    }
}
