using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using RollbackMesh.Coordinator.Hosting;

namespace RollbackMesh.Coordinator.Security;

/// <summary>The coordinator's TLS listener and connection limits.</summary>
internal static class SecurityKestrelExtensions
{
    /// <summary>
    /// TLS (ALPN h2) with the server certificate from <c>init</c>. Client certificates are optional at the TLS level,
    /// because a new agent enrolls before it has one, but a presented certificate that does not chain to our CA fails
    /// the handshake. Every endpoint except Enroll (and health) then requires an identity per call.
    /// </summary>
    public static ListenOptions UseCoordinatorTls(this ListenOptions listen)
    {
        var services = listen.ApplicationServices;
        var credentials = services.GetRequiredService<CoordinatorCredentials>();
        var resolver = services.GetRequiredService<PeerIdentityResolver>();
        return listen.ConfigureGrpcListener(credentials.ServerCertificate, ClientCertificateMode.AllowCertificate, (client, _, _) => resolver.ChainsToCa(client));
    }

    /// <summary>
    /// Per-connection limits: concurrent streams, header sizes; no Server header. The message size limits are gRPC's
    /// (<see cref="GrpcServiceCollectionExtensions.AddCoordinatorGrpc"/>).
    /// </summary>
    public static KestrelServerOptions ApplySecurityLimits(this KestrelServerOptions kestrel, SecurityOptions options)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        kestrel.Limits.Http2.MaxRequestHeaderFieldSize = 16 * 1024;
        kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        kestrel.Limits.MaxRequestHeaderCount = 64;
        return kestrel;
    }
}
