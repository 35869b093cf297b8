namespace RollbackMesh.FunctionalTests.Calico;

/// <summary>
/// One simulated OpenStack node: its sandbox root (also the isolated apt root or dnf installroot, so runbook paths
/// such as /etc/apt/sources.list.d/... are the files the node's package manager reads), the agent's configuration
/// file and the environment its agent process gets.
/// </summary>
internal sealed record CalicoNode(string Name, string Role, string Root, string ConfigPath, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>True for a control node (neutron-server), false for a compute node (calico-felix).</summary>
    public bool IsControl => Role == "control";

    /// <summary>The unit the node runs: neutron-server on control nodes, calico-felix on compute nodes.</summary>
    public string Unit => IsControl ? "neutron-server" : "calico-felix";

    /// <summary>The host path of the node path <paramref name="nodePath"/> (absolute).</summary>
    public string HostPath(string nodePath) => Root + nodePath;
}
