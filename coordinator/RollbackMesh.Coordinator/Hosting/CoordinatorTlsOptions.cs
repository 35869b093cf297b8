using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>
/// The coordinator's TLS material (PEM files). <see cref="KestrelTls"/> is the one place that turns it into Kestrel's
/// HTTPS settings, so enrollment (which needs agents without a certificate yet) only has to change
/// <see cref="ClientCertificateMode"/> and authorise per method.
/// </summary>
/// <param name="CertificatePath">The server certificate (PEM).</param>
/// <param name="KeyPath">The server certificate's private key (PEM).</param>
/// <param name="ClientCaPath">The CA (PEM) that client certificates must chain to.</param>
/// <param name="ClientCertificateMode">Whether a client certificate is required (the default) or only allowed.</param>
internal sealed record CoordinatorTlsOptions(
    string CertificatePath,
    string KeyPath,
    string ClientCaPath,
    ClientCertificateMode ClientCertificateMode = ClientCertificateMode.RequireCertificate);
