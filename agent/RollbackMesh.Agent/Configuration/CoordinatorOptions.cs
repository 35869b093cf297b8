namespace RollbackMesh.Agent.Configuration;

/// <summary>How the agent reaches the coordinator (the "coordinator" key).</summary>
internal sealed class CoordinatorOptions
{
    /// <summary>The coordinator's address, https://host:port. Required. http:// only with <see cref="Insecure"/>.</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>Allows a plaintext http:// address (tests, demos). Default: false.</summary>
    public bool Insecure { get; set; }

    /// <summary>The TLS files; all three paths are required for an https:// address.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>
    /// A join token (<c>rollbackmesh-coordinator token create</c>). Used only while <see cref="TlsOptions.Cert"/> does not
    /// exist: the agent then enrolls (CA pinned by the token, key created here) and writes the three TLS files. Never
    /// logged. Default: none (the TLS files must then exist).
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Idle time before an HTTP/2 keepalive PING ("30s"). Default: 30s.</summary>
    public string KeepAliveInterval { get; set; } = "30s";

    /// <summary>How long to wait for the PING's answer before the connection is considered dead. Default: 20s.</summary>
    public string KeepAliveTimeout { get; set; } = "20s";
}
