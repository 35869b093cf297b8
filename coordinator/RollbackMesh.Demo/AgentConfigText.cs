using System.Text;
using RollbackMesh.Demo.Sandbox;

namespace RollbackMesh.Demo;

/// <summary>The agent.yaml of a sandbox node.</summary>
internal static class AgentConfigText
{
    /// <summary>The cluster of a one-cluster sandbox fleet.</summary>
    public const string Cluster = "demo";

    /// <summary>
    /// The configuration for <paramref name="node"/>, whose sandbox agent runs with --root = the node's root (step paths
    /// rebased under it, the stand-in service controller); allowed roots, journal, quarantine and K3s paths all lie in
    /// the root.
    /// </summary>
    public static string For(SandboxNode node, Uri coordinator, string etcdctl)
    {
        var text = new StringBuilder();
        text.AppendLine("# agent.yaml of a sandbox node, written by `rollbackmesh-demo` (simulated node, not a real one)")
            .AppendLine($"nodeName: {node.Name}")
            // The cluster key is required for K3s roles.
            .AppendLine($"cluster: {node.Cluster}")
            .AppendLine("roles:");
        foreach (var role in node.Roles)
        {
            text.AppendLine($"  - {role}");
        }

        text.AppendLine("labels:")
            .AppendLine("  sandbox: \"true\"")
            .AppendLine("coordinator:")
            .AppendLine($"  address: {coordinator.ToString().TrimEnd('/')}")
            .AppendLine("  insecure: true")
            .AppendLine("allowedRoots:")
            .AppendLine($"  - {node.Root}")
            .AppendLine("watchedUnits:")
            .AppendLine($"  - {node.K3sUnit}")
            // The coordinator's preflight looks for the disk holding /var/lib/rollbackmesh/quarantine by node path;
            // the sandbox reports "/" (the host disk the sandbox lives on, when the state directory is on it).
            .AppendLine("dataDirectories:")
            .AppendLine($"  - {node.HostPath("/var/lib/rollbackmesh")}")
            .AppendLine("  - /")
            .AppendLine($"journalPath: {node.HostPath(StandInContract.JournalPath)}")
            .AppendLine($"quarantinePath: {node.HostPath(StandInContract.QuarantinePath)}")
            .AppendLine("healthInterval: 2s")
            .AppendLine($"k3sDataDir: {node.HostPath("/var/lib/rancher/k3s")}")
            .AppendLine($"k3sConfigFile: {node.HostPath("/etc/rancher/k3s/config.yaml")}")
            .AppendLine("k3sUnitFiles:")
            .AppendLine($"  - {node.HostPath(StandInContract.UnitFile(node.K3sUnit))}")
            .AppendLine($"  - {node.HostPath(StandInContract.UnitFile(node.K3sUnit) + ".env")}")
            .AppendLine("toolPaths:")
            .AppendLine($"  k3s: {node.HostPath("/usr/local/bin/k3s")}")
            .AppendLine($"  k3s-killall: {node.HostPath("/usr/local/bin/k3s-killall.sh")}")
            .AppendLine($"  kubectl: {node.HostPath("/usr/local/bin/kubectl")}")
            .AppendLine($"  etcdctl: {etcdctl}")
            .AppendLine("logLevel: Information");
        return text.ToString();
    }
}
