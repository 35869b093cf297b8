using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>Kestrel settings for serving gRPC (Grpc.AspNetCore) to agents and operators.</summary>
internal static class GrpcKestrelExtensions
{
    /// <summary>
    /// Serves HTTP/2 only on <paramref name="listen"/>: h2c with prior knowledge when <paramref name="serverCertificate"/>
    /// is null (the coordinator's --insecure), otherwise TLS with ALPN h2, asking for a client certificate per
    /// <paramref name="clientCertificateMode"/>. Service code reads the accepted certificate from
    /// <c>ServerCallContext.GetHttpContext().Connection.ClientCertificate</c>.
    /// </summary>
    /// <param name="listen">The endpoint to configure.</param>
    /// <param name="serverCertificate">The server's certificate (with private key); null for plaintext h2c.</param>
    /// <param name="clientCertificateMode">Whether client certificates (mutual TLS) are requested or required.</param>
    /// <param name="validateClientCertificate">
    /// Decides whether a presented client certificate is accepted; null uses the machine's trust store.
    /// </param>
    /// <param name="handshakeTimeout">How long a TLS handshake may take; null keeps Kestrel's default (10 s).</param>
    public static ListenOptions ConfigureGrpcListener(
        this ListenOptions listen,
        X509Certificate2? serverCertificate = null,
        ClientCertificateMode clientCertificateMode = ClientCertificateMode.NoCertificate,
        Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? validateClientCertificate = null,
        TimeSpan? handshakeTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Protocols = HttpProtocols.Http2;
        if (serverCertificate is null)
        {
            return listen;
        }

        listen.UseHttps(https =>
        {
            https.ServerCertificate = serverCertificate;
            https.ClientCertificateMode = clientCertificateMode;
            if (handshakeTimeout is { } timeout)
            {
                https.HandshakeTimeout = timeout;
            }

            if (validateClientCertificate is not null)
            {
                https.ClientCertificateValidation = validateClientCertificate;
            }
        });
        return listen;
    }

    /// <summary>
    /// Sends HTTP/2 PINGs after <paramref name="pingDelay"/> of silence and drops the connection when one is not
    /// acknowledged within <paramref name="pingTimeout"/>, so a dead agent is noticed and its stream's handler cancelled.
    /// An open stream that is merely idle is never cut: Kestrel's KeepAliveTimeout applies only to a connection without
    /// streams, and Grpc.AspNetCore lifts the request body rate and size limits for client-streaming and duplex calls.
    /// </summary>
    public static KestrelServerOptions ConfigureGrpcKeepAlive(this KestrelServerOptions options, TimeSpan pingDelay, TimeSpan pingTimeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Limits.Http2.KeepAlivePingDelay = pingDelay;
        options.Limits.Http2.KeepAlivePingTimeout = pingTimeout;
        return options;
    }
}
