using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RollbackMesh.Protos.Channels;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>The one place that configures the coordinator's listener: h2c when insecure, else TLS with client certificates.</summary>
internal static class KestrelTls
{
    /// <summary>
    /// Configures <paramref name="listen"/> for <paramref name="options"/>; <paramref name="peerLimiter"/> runs first,
    /// so a refused connection never starts a handshake.
    /// </summary>
    public static void Configure(ListenOptions listen, CoordinatorHostOptions options, PeerConnectionLimiter peerLimiter)
    {
        peerLimiter.Attach(listen);
        if (options.Tls is not { } tls)
        {
            listen.ConfigureGrpcListener();
            return;
        }

        var certificate = X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.KeyPath);
        var clientCa = X509CertificateLoader.LoadCertificateFromFile(tls.ClientCaPath);
        // The platform's policy errors are judged against the machine's trust store, which is not ours: the chain
        // is rebuilt against the client CA only.
        listen.ConfigureGrpcListener(certificate, tls.ClientCertificateMode, (client, _, _) => ChainsTo(client, clientCa),
            options.Connections.TlsHandshakeTimeout);
    }

    /// <summary>
    /// Accepts a client certificate only when it chains to <paramref name="ca"/> alone (not the machine's trust store)
    /// and is valid for client authentication.
    /// </summary>
    internal static bool ChainsTo(X509Certificate2 client, X509Certificate2 ca) =>
        PinnedCa.ChainsTo(client, ca, requiredUsage: PinnedCa.ClientAuthenticationOid);
}
