using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Transport;

/// <summary>Client-side transport options.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>The largest response message accepted, in bytes; larger fails the call with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest request message sent, in bytes; larger fails with RESOURCE_EXHAUSTED before sending. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long the connection may be silent before an HTTP/2 PING is sent. Default infinite (no pings).</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>How long to wait for a PING acknowledgement before the connection is declared dead. Default 20 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Client certificates offered for mutual TLS (https only). Default none.</summary>
    public X509CertificateCollection? ClientCertificates { get; set; }

    /// <summary>Validates the server certificate (https only). Default: the platform's chain validation.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>A handler to send requests with instead of the channel's own SocketsHttpHandler; the keepalive and TLS
    /// options above are then not applied. The channel does not dispose it. Default null.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>The clock deadlines are measured with. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
