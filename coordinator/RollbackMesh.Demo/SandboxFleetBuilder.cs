using System.Runtime.InteropServices;
using System.Security.Cryptography;
using RollbackMesh.Demo.Sandbox;
using RollbackMesh.Protos.Conventions;

namespace RollbackMesh.Demo;

/// <summary>
/// Builds a sandbox fleet under a state directory: for every node a root (STATE/nodes/NAME) laid out like a K3s node
/// with embedded etcd (stand-in k3s, k3s-killall.sh and kubectl in /usr/local/bin, unit files, db directories, the
/// previous release's binary and sha256sum file as air-gap artifacts, an etcd snapshot on the first server) and
/// the agent's configuration (its sandbox agent runs with --root = that root; allowed roots = that root, tools = the stand-ins, insecure
/// coordinator URL). Used by the demo and the fleet functional tests.
/// </summary>
internal static class SandboxFleetBuilder
{
    /// <summary>The air-gap artifact directory (the runbook's default artifact_dir), as a node path.</summary>
    public const string ArtifactDirectory = "/var/lib/rollbackmesh-agent/artifacts/k3s";

    /// <summary>The first server's etcd data directory, as a node path.</summary>
    private const string EtcdDataPath = "/var/lib/rancher/k3s/server/db/etcd";

    /// <summary>The etcd snapshot on the first server, as a node path (K3s keeps snapshots in server/db/snapshots).</summary>
    public static readonly string SnapshotPath = $"/var/lib/rancher/k3s/server/db/snapshots/pre-upgrade-{K3sRelease.Previous.Version}";

    /// <summary>
    /// Builds <paramref name="servers"/> servers (the first is the first server) and <paramref name="agents"/> agents
    /// whose agents will dial <paramref name="coordinator"/> (plaintext, --insecure). The snapshot is a real etcd one when
    /// <paramref name="realEtcd"/> is true, or null and etcd and etcdctl are installed; otherwise a stand-in etcdctl and
    /// snapshot are used (<see cref="EtcdStandIn"/>).
    /// </summary>
    /// <remarks>With <paramref name="clusters"/> above 1 it builds that many clusters (edge-1, edge-2, ...) of that shape,
    /// nodes named after their cluster (edge-1-server-1), each cluster with its own stand-in API state and snapshot.</remarks>
    /// <exception cref="DemoPrerequisiteException">realEtcd is true and etcd or etcdctl is missing, or the state directory is unusable.</exception>
    public static async Task<SandboxFleet> BuildAsync(string stateDirectory, int servers, int agents, Uri coordinator, CancellationToken cancellationToken,
        bool? realEtcd = null, int clusters = 1)
    {
        var state = Path.GetFullPath(stateDirectory);
        if (state.Contains('\'', StringComparison.Ordinal) || state.Contains('"', StringComparison.Ordinal))
        {
            throw new DemoPrerequisiteException($"the state directory '{state}' must not contain quotes (the stand-in scripts embed it)");
        }

        var useRealEtcd = realEtcd ?? (HostTools.Find("etcd") is not null && HostTools.Find("etcdctl") is not null);
        var etcdctl = useRealEtcd ? HostTools.Require("etcdctl", "etcd-client") : EtcdStandIn.WriteEtcdctl(Path.Combine(state, "standin-bin", "etcdctl"));
        if (useRealEtcd)
        {
            HostTools.Require("etcd", "etcd-server");
        }

        var nodes = new List<SandboxNode>();
        for (var c = 1; c <= clusters; c++)
        {
            // One cluster keeps the names it always had (server-1, agent-1, cluster "demo").
            var (clusterName, prefix, apiState) = clusters == 1
                ? (AgentConfigText.Cluster, "", Path.Combine(state, "cluster"))
                : ($"edge-{c}", $"edge-{c}-", Path.Combine(state, "clusters", $"edge-{c}"));
            var members = new List<SandboxNode>();
            for (var i = 1; i <= servers; i++)
            {
                members.Add(NewNode(state, $"{prefix}server-{i}", i == 1 ? [NodeRoles.Server, NodeRoles.FirstServer] : [NodeRoles.Server], clusterName));
            }

            for (var i = 1; i <= agents; i++)
            {
                members.Add(NewNode(state, $"{prefix}agent-{i}", [NodeRoles.Agent], clusterName));
            }

            foreach (var node in members)
            {
                LayOut(node, members[0].Name, apiState, etcdctl);
                File.WriteAllText(node.ConfigPath, AgentConfigText.For(node, coordinator, etcdctl));
            }

            var first = members[0];
            var etcdData = first.HostPath(EtcdDataPath);
            var snapshot = first.HostPath(SnapshotPath);
            if (nodes.Count > 0)
            {
                // Every cluster starts from the same pre-upgrade state: one real etcd start is enough for all.
                var source = nodes[0];
                CopyDirectory(source.HostPath(EtcdDataPath), etcdData);
                Directory.CreateDirectory(Path.GetDirectoryName(snapshot)!);
                File.Copy(source.HostPath(SnapshotPath), snapshot);
            }
            else if (useRealEtcd)
            {
                await EtcdSnapshotMaker.MakeAsync(etcdData, snapshot, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                EtcdStandIn.MakeSnapshot(etcdData, snapshot);
            }

            nodes.AddRange(members);
        }

        Directory.CreateDirectory(Path.Combine(state, "logs"));
        return new SandboxFleet(state, nodes, SnapshotPath) { RealEtcd = useRealEtcd };
    }

    private static SandboxNode NewNode(string state, string name, string[] roles, string cluster)
    {
        var root = Path.Combine(state, "nodes", name);
        if (Directory.Exists(root))
        {
            throw new DemoPrerequisiteException($"{root} exists already: use a new --state directory (or remove the old one)");
        }

        return new SandboxNode(name, roles, root, Path.Combine(root, "etc/rollbackmesh/agent.yaml"), cluster);
    }

    private static void LayOut(SandboxNode node, string firstServer, string cluster, string etcdctl)
    {
        foreach (var dir in new[] { "/etc/rollbackmesh", StandInContract.QuarantinePath, StandInContract.LogDirectory, "/etc/rancher/k3s" })
        {
            Directory.CreateDirectory(node.HostPath(dir));
        }

        Script(node.HostPath("/usr/local/bin/k3s"), K3sStandIns.K3s(node, K3sRelease.Current, etcdctl));
        Script(node.HostPath("/usr/local/bin/k3s-killall.sh"), K3sStandIns.KillAll(node));
        Script(node.HostPath("/usr/local/bin/kubectl"), K3sStandIns.Kubectl(node, cluster));

        // The previous release as air-gap artifacts: binary plus the release's checksum file.
        var artifacts = node.HostPath(ArtifactDirectory);
        var previous = Path.Combine(artifacts, "k3s");
        Script(previous, K3sStandIns.K3s(node, K3sRelease.Previous, etcdctl));
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(previous)));
        File.WriteAllText(Path.Combine(artifacts, $"sha256sum-{Arch}.txt"), $"{sha}  k3s\n");

        var unit = node.K3sUnit;
        var exec = node.IsServer ? "server" : "agent";
        Write(node.HostPath(StandInContract.UnitFile(unit)),
            $"# stand-in unit file of a sandbox node (the K3s install script writes the real one)\n[Service]\nType=notify\n"
            + $"EnvironmentFile=-/etc/systemd/system/{unit}.service.env\nExecStart=/usr/local/bin/k3s {exec}\n");
        Write(node.HostPath(StandInContract.UnitFile(unit) + ".env"), node.IsServer ? string.Empty : $"K3S_URL=https://{firstServer}:6443\n");
        Write(node.HostPath(StandInContract.UnitStateFile(unit)), "active running\n");
        Write(node.HostPath("/etc/rancher/k3s/config.yaml"), node.IsFirstServer ? "cluster-init: true\n" : $"server: https://{firstServer}:6443\n");
        if (node.IsServer)
        {
            Write(node.HostPath("/etc/rancher/k3s/k3s.yaml"), "# stand-in kubeconfig of a sandbox server\napiVersion: v1\nkind: Config\n");
            if (!node.IsFirstServer)
            {
                // A peer's etcd member data: moved into quarantine (never deleted) before it rejoins.
                Write(node.HostPath("/var/lib/rancher/k3s/server/db/etcd/member/snap/db"), $"stand-in etcd member data of {node.Name}\n");
            }
        }
        else
        {
            Directory.CreateDirectory(node.HostPath("/var/lib/rancher/k3s/agent"));
        }

        var entry = Path.Combine(cluster, "nodes", node.Name);
        Write(Path.Combine(entry, "root"), node.Root);
        Write(Path.Combine(entry, "unschedulable"), "false\n");
    }

    private static string Arch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.S390x => "s390x",
        _ => "amd64",
    };

    private static void CopyDirectory(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static void Script(string path, string text)
    {
        Write(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
