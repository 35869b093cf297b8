using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Protos.Enrollment;

namespace RollbackMesh.Agent.Enrollment;

/// <summary>
/// The agent's TLS credentials as files on disk (coordinator.tls.*). Read afresh for every connection, so a renewed
/// certificate is used from the next connection on without a restart. When the certificate does not exist yet and
/// coordinator.token is set, <see cref="EnsureEnrolledAsync"/> enrolls first. Enrollment, renewal and loading take
/// turns, so a connection never reads a new key with the old certificate.
/// </summary>
internal sealed class AgentCredentials
{
    private readonly CoordinatorOptions _options;
    private readonly string _nodeName;
    private readonly EnrollmentClient _client;
    private readonly ILogger<AgentCredentials> _logger;
    private readonly SemaphoreSlim _files = new(1, 1);

    /// <summary>Creates the credentials from the validated options.</summary>
    public AgentCredentials(IOptions<AgentOptions> options, EnrollmentClient client, ILogger<AgentCredentials> logger)
    {
        _options = options.Value.Coordinator;
        _nodeName = options.Value.NodeName;
        _client = client;
        _logger = logger;
        Address = new Uri(_options.Address);
        Paths = Address.Scheme == Uri.UriSchemeHttps && _options.Tls is { Ca: { } ca, Cert: { } cert, Key: { } key }
            ? new AgentCredentialPaths(ca, cert, key)
            : null;
    }

    /// <summary>The coordinator's address.</summary>
    public Uri Address { get; }

    /// <summary>The TLS files; null for a plaintext (insecure) coordinator address.</summary>
    public AgentCredentialPaths? Paths { get; }

    /// <summary>Enrolls when the certificate is missing and a join token is configured; otherwise does nothing.</summary>
    /// <exception cref="EnrollmentException">Enrollment failed (<see cref="EnrollmentException.IsTransient"/> says whether to retry).</exception>
    public async Task EnsureEnrolledAsync(CancellationToken ct)
    {
        if (Paths is null || File.Exists(Paths.Certificate) || !JoinToken.TryParse(_options.Token, out var token))
        {
            return;
        }

        await _files.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (File.Exists(Paths.Certificate))
            {
                return;
            }

            EnrollmentLog.Enrolling(_logger, Paths.Certificate, _nodeName, Address.ToString(), token.Id);
            using var certificate = await _client.EnrollAsync(Address, token.Format(), _nodeName, Paths, ct).ConfigureAwait(false);
            EnrollmentLog.Enrolled(_logger, _nodeName, certificate.SerialNumber, certificate.NotAfter.ToUniversalTime());
        }
        finally
        {
            _files.Release();
        }
    }

    /// <summary>Renews the certificate if it is due (see <see cref="EnrollmentClient.RenewIfDueAsync"/>); the new one if it did.</summary>
    public async Task<X509Certificate2?> RenewIfDueAsync(CancellationToken ct)
    {
        await _files.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return Paths is not null && File.Exists(Paths.Certificate) && await _client.RenewIfDueAsync(Address, Paths, ct).ConfigureAwait(false)
                ? LoadClientCertificate()
                : null;
        }
        finally
        {
            _files.Release();
        }
    }

    /// <summary>The pinned CA and the client certificate with its key, read from disk now.</summary>
    public async Task<(X509Certificate2 Ca, X509Certificate2 Client)> LoadAsync(CancellationToken ct)
    {
        await _files.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(Paths!.Ca);
            try
            {
                return (ca, LoadClientCertificate());
            }
            catch
            {
                ca.Dispose();
                throw;
            }
        }
        finally
        {
            _files.Release();
        }
    }

    private X509Certificate2 LoadClientCertificate() => X509Certificate2.CreateFromPemFile(Paths!.Certificate, Paths.Key);
}
