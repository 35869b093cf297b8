namespace RollbackMesh.Transport;

/// <summary>Server-side transport options.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>The largest request message accepted, in bytes; larger gets RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest response message sent, in bytes; larger fails with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;
}
