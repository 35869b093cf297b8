using RollbackMesh.Protos.Conventions;

namespace RollbackMesh.Demo;

/// <summary>One simulated node of a sandbox fleet.</summary>
/// <param name="Name">The node name (agent nodeName, Kubernetes node name).</param>
/// <param name="Roles">Agent roles: first-server and server, server, or agent.</param>
/// <param name="Root">The node's sandbox root on the host: node paths such as /var/lib/rancher live under it.</param>
/// <param name="ConfigPath">The agent's configuration file.</param>
/// <param name="Cluster">The K3s cluster the node belongs to (agent.yaml cluster).</param>
internal sealed record SandboxNode(string Name, IReadOnlyList<string> Roles, string Root, string ConfigPath, string Cluster)
{
    /// <summary>True for K3s servers (first or other).</summary>
    public bool IsServer => Roles.Contains(NodeRoles.Server);

    /// <summary>True for the server the cluster reset runs on.</summary>
    public bool IsFirstServer => Roles.Contains(NodeRoles.FirstServer);

    /// <summary>The systemd unit K3s runs as on this node (k3s on servers, k3s-agent on agents, as the install script names them).</summary>
    public string K3sUnit => IsServer ? "k3s" : "k3s-agent";

    /// <summary>The host path for the node path <paramref name="nodePath"/> (e.g. /var/lib/rollbackmesh/journal.db).</summary>
    public string HostPath(string nodePath) => Root + nodePath;
}
