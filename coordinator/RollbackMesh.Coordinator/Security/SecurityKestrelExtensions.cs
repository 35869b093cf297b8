using Microsoft.AspNetCore.Server.Kestrel.Core;
using RollbackMesh.Coordinator.Hosting;

namespace RollbackMesh.Coordinator.Security;

/// <summary>The coordinator's per-connection limits (its TLS listener is Hosting/KestrelTls).</summary>
internal static class SecurityKestrelExtensions
{
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
