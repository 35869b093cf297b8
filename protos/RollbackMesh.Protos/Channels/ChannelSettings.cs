using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RollbackMesh.Protos.Channels;

/// <summary>How a <see cref="RollbackMeshChannel"/> dials: message limits, keepalive and TLS trust.</summary>
public sealed class ChannelSettings
{
    /// <summary>The 4 MiB message limit both ends of every RollbackMesh connection apply.</summary>
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>The largest response message accepted, in bytes; larger fails the call with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>The largest request message sent, in bytes; larger fails with RESOURCE_EXHAUSTED before sending. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>
    /// How long the connection may be silent before an HTTP/2 PING is sent, also while a stream is open and idle.
    /// Default infinite (no pings: a short-lived CLI call needs none).
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>How long to wait for a PING acknowledgement before the connection, and its calls, are declared dead. Default 20 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// https only: the CA the server certificate must chain to (alone, not the machine's trust store), the certificate
    /// also matching the address's host name. Default null: see <see cref="ServerCertificateValidation"/>.
    /// </summary>
    public X509Certificate2? PinnedCa { get; set; }

    /// <summary>https only: a check used instead of <see cref="PinnedCa"/>. Default null: the platform's chain validation.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>https only: the certificate offered for mutual TLS, with its private key. Default none.</summary>
    public X509Certificate2? ClientCertificate { get; set; }
}
