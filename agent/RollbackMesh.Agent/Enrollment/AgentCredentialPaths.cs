namespace RollbackMesh.Agent.Enrollment;

/// <summary>The agent's TLS files: the pinned CA, its certificate and its private key (0600).</summary>
internal sealed record AgentCredentialPaths(string Ca, string Certificate, string Key)
{
    /// <summary>The default layout in <paramref name="directory"/>: ca.crt, node.crt, node.key.</summary>
    public static AgentCredentialPaths In(string directory) =>
        new(Path.Combine(directory, "ca.crt"), Path.Combine(directory, "node.crt"), Path.Combine(directory, "node.key"));
}
