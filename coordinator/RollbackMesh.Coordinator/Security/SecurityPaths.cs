namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// Where the coordinator keeps its key material under <c>--data DIR</c>: <c>DIR/pki/</c> holds the CA, the server
/// certificate and the security state (hashed join tokens, issued certificates, revocations). Keys are 0600 PEM files.
/// </summary>
internal sealed record SecurityPaths(string DataDirectory)
{
    /// <summary>The directory holding everything below (0700).</summary>
    public string PkiDirectory => Path.Combine(DataDirectory, "pki");

    /// <summary>The CA certificate (PEM, 0644): what agents pin and operators trust.</summary>
    public string CaCertificate => Path.Combine(PkiDirectory, "ca.crt");

    /// <summary>The CA private key (PEM, 0600).</summary>
    public string CaKey => Path.Combine(PkiDirectory, "ca.key");

    /// <summary>The coordinator's TLS server certificate (PEM, 0644).</summary>
    public string ServerCertificate => Path.Combine(PkiDirectory, "server.crt");

    /// <summary>The server certificate's private key (PEM, 0600).</summary>
    public string ServerKey => Path.Combine(PkiDirectory, "server.key");

    /// <summary>Hashed tokens, issued certificates and revocations (JSON, 0600), shared by the server and the CLI.</summary>
    public string StateFile => Path.Combine(PkiDirectory, "security-state.json");

    /// <summary>Serialises read-modify-write of <see cref="StateFile"/> between processes.</summary>
    public string StateLockFile => Path.Combine(PkiDirectory, "security-state.lock");
}
