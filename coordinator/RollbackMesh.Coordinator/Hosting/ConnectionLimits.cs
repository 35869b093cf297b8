namespace RollbackMesh.Coordinator.Hosting;

/// <summary>
/// How many connections the coordinator holds and how long one may sit without proving anything. The defaults hold
/// 10,000 agents (one HTTP/2 connection each) with room for operators and a reconnect storm; a flood from one address
/// is cut at <see cref="MaxConnectionsPerPeer"/> before its TLS handshake starts.
/// </summary>
internal sealed record ConnectionLimits
{
    /// <summary>Open connections in all (Kestrel's MaxConcurrentConnections); more are closed on accept. Default 16,384.</summary>
    public int MaxConnections { get; init; } = 16_384;

    /// <summary>
    /// Open connections from one IP address; more are closed before TLS. Default 256: raise it when many agents reach
    /// the coordinator through one NAT address.
    /// </summary>
    public int MaxConnectionsPerPeer { get; init; } = 256;

    /// <summary>How long a TLS handshake may take from accept; a silent or slow peer is cut then. Default 10 s.</summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a connection with no open call stays (Kestrel's KeepAliveTimeout; also bounds the wait for the HTTP/2
    /// preface). An agent's stream keeps its connection; a CLI call's connection ends after it. Default 30 s.
    /// </summary>
    public TimeSpan IdleConnectionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first problem with these limits, or null when they are usable.</summary>
    public string? Problem() =>
        MaxConnections <= 0 ? $"the connection limit {MaxConnections} must be positive"
        : MaxConnectionsPerPeer <= 0 ? $"the per-address connection limit {MaxConnectionsPerPeer} must be positive"
        : MaxConnectionsPerPeer > MaxConnections ? $"the per-address connection limit {MaxConnectionsPerPeer} exceeds the total {MaxConnections}"
        : TlsHandshakeTimeout <= TimeSpan.Zero || IdleConnectionTimeout <= TimeSpan.Zero ? "the handshake and idle timeouts must be positive"
        : null;
}
