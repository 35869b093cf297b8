using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace RollbackMesh.Transport;

/// <summary>What a server handler knows about its call, and how it shapes the response beyond the messages.</summary>
public abstract class ServerCallContext
{
    /// <summary>Lets tests supply their own context; the transport's is internal.</summary>
    protected ServerCallContext()
    {
    }

    /// <summary>The full method path, e.g. <c>/rollbackmesh.v1.AgentHub/Connect</c>.</summary>
    public abstract string Method { get; }

    /// <summary>The remote peer, e.g. <c>ipv4:127.0.0.1:51234</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>The call's deadline in UTC from <c>grpc-timeout</c>; <see cref="DateTime.MaxValue"/> when none.</summary>
    public abstract DateTime Deadline { get; }

    /// <summary>Fires when the deadline passes, the client cancels (RST_STREAM) or the connection is lost.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>The custom metadata the client sent (reserved HTTP/2 and gRPC headers excluded).</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>Custom trailers to send with the status.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>The status sent when the handler returns normally; OK unless set.</summary>
    public abstract Status Status { get; set; }

    /// <summary>The client's TLS certificate when the connection used mutual TLS; otherwise null.</summary>
    public abstract X509Certificate2? ClientCertificate { get; }

    /// <summary>The underlying HTTP/2 request.</summary>
    public abstract HttpContext HttpContext { get; }

    /// <summary>Sends the response headers now, with <paramref name="headers"/> added; at most once, before any message.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata headers);
}
