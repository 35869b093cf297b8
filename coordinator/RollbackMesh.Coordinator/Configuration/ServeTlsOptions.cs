namespace RollbackMesh.Coordinator.Configuration;

/// <summary>The coordinator's TLS files (the "tls" key), PEM. All three, or none to use those of `init --data`.</summary>
internal sealed class ServeTlsOptions
{
    /// <summary>The server certificate. Flag --tls-cert.</summary>
    public string? Cert { get; set; }

    /// <summary>The server certificate's private key. Flag --tls-key.</summary>
    public string? Key { get; set; }

    /// <summary>The CA that agent and operator certificates must chain to. Flag --client-ca.</summary>
    public string? ClientCa { get; set; }

    /// <summary>The keys under "tls" (see <see cref="ServeOptions.Keys"/>).</summary>
    public static IReadOnlyList<string> Keys { get; } = [nameof(Cert), nameof(Key), nameof(ClientCa)];
}
