namespace RollbackMesh.Agent.Configuration;

/// <summary>The agent's TLS material (the "coordinator.tls" key): PEM files.</summary>
internal sealed class TlsOptions
{
    /// <summary>The CA certificate that signed the coordinator's certificate. Required for https://.</summary>
    public string? Ca { get; set; }

    /// <summary>The agent's client certificate. Required for https://.</summary>
    public string? Cert { get; set; }

    /// <summary>The agent's private key. Required for https://.</summary>
    public string? Key { get; set; }
}
