using System.Text;
using RollbackMesh.Demo.Sandbox;

namespace RollbackMesh.FunctionalTests.Calico;

/// <summary>agent.yaml texts for the Calico tests.</summary>
internal static class CalicoAgentConfig
{
    /// <summary>
    /// A sandbox node (its sandbox agent runs with --root = the package root: step paths rebased under it, the stand-in
    /// service controller): journal and quarantine in the root, calico-felix --version from the root's /usr/bin, a 1 s
    /// health interval.
    /// </summary>
    public static string Sandbox(CalicoNode node, Uri coordinator, IEnumerable<(string Tool, string Path)> tools)
    {
        var text = new StringBuilder()
            .AppendLine($"nodeName: {node.Name}")
            .AppendLine($"roles: [{node.Role}]")
            .AppendLine("cluster: calico")
            .AppendLine("coordinator:")
            .AppendLine($"  address: {coordinator.ToString().TrimEnd('/')}")
            .AppendLine("  insecure: true")
            .AppendLine($"allowedRoots: [{node.Root}]")
            .AppendLine($"watchedUnits: [{node.Unit}.service]")
            // Preflight looks for the disk holding /var/lib/rollbackmesh/quarantine by node path: "/" holds it.
            .AppendLine($"dataDirectories: [{node.HostPath("/var/lib/rollbackmesh")}, /]")
            .AppendLine($"journalPath: {node.HostPath(StandInContract.JournalPath)}")
            .AppendLine($"quarantinePath: {node.HostPath(StandInContract.QuarantinePath)}")
            .AppendLine("healthInterval: 1s")
            .AppendLine($"systemBusAddress: unix:path={node.HostPath("/run/no-system-bus")}")
            .AppendLine("toolPaths:")
            .AppendLine($"  calico-felix: {node.HostPath("/usr/bin/calico-felix")}");
        foreach (var (tool, path) in tools)
        {
            text.AppendLine($"  {tool}: {path}");
        }

        return text.ToString();
    }

    /// <summary>
    /// The agent inside an nspawn container (a real node): plaintext to the coordinator on the host side of the veth,
    /// the packaged defaults for everything else.
    /// </summary>
    public static string Container(string name, string role, Uri coordinator, string unit) => $"""
        nodeName: {name}
        roles: [{role}]
        cluster: calico
        coordinator:
          address: {coordinator.ToString().TrimEnd('/')}
          insecure: true
        watchedUnits: [{unit}]
        dataDirectories: [/]
        healthInterval: 1s

        """;
}
