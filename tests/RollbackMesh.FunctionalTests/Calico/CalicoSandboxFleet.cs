using System.Security.Cryptography;
using System.Text;
using RollbackMesh.Demo.Sandbox;
using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.FunctionalTests.Calico;

/// <summary>
/// Builds a control node and two compute nodes for the OpenStack downgrade runbooks under a state directory. Each
/// node's sandbox root is a real isolated package root with the stand-in Calico 3.1.0 packages installed: an apt
/// root (APT_CONFIG and DPKG_ADMINDIR in the agent's environment, so apt-get, apt-cache and dpkg-query act on it)
/// or a dnf installroot (the agent's yum and rpm tool paths are wrappers adding --installroot / --root).
/// neutron-server and calico-felix are units of the sandbox's stand-in service controller.
/// </summary>
internal static class CalicoSandboxFleet
{
    /// <summary>The calicoctl artifact on control nodes, as a node path.</summary>
    public const string CalicoctlArtifact = "/var/lib/rollbackmesh/artifacts/calico/calicoctl";

    private static readonly (string Name, string Role)[] Shape = [("control-1", "control"), ("compute-1", "compute"), ("compute-2", "compute")];

    /// <summary>The runbook parameters both OpenStack runbooks require (the rest keep their defaults).</summary>
    public static Dictionary<string, string> Parameters(string calicoctlSource = CalicoctlArtifact) => new(StringComparer.Ordinal)
    {
        ["calicoctl_source"] = calicoctlSource,
        ["calicoctl_sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CalicoPackages.Calicoctl))),
    };

    /// <summary>Ubuntu nodes: the 3.1 and 2.6 lists in sources.list.d, each node's packages installed at 3.1.0.</summary>
    public static Task<CalicoNode[]> BuildUbuntuAsync(string state, AptRepoFixture repo, Uri coordinator) =>
        Task.WhenAll(Shape.Select(s => Task.Run(() =>
        {
            var parent = Directory.CreateDirectory(Path.Combine(state, "nodes", s.Name)).FullName;
            var lists = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [CalicoPackages.Apt31List] = AptRepoFixture.SourceLine(repo.SeriesRepo("3.1")),
                [CalicoPackages.Apt26List] = AptRepoFixture.SourceLine(repo.SeriesRepo("2.6")),
            };
            var (aptConfig, root) = repo.NewRoot(parent, lists, s.Role == "control" ? CalicoPackages.UbuntuControl : CalicoPackages.UbuntuCompute);
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["APT_CONFIG"] = aptConfig,
                ["DPKG_ADMINDIR"] = Path.Combine(root, "var/lib/dpkg"),
            };
            return LayOut(new CalicoNode(s.Name, s.Role, root, Path.Combine(parent, "agent.yaml"), environment), coordinator, []);
        })));

    /// <summary>CentOS nodes: /etc/yum.repos.d/calico.repo pointing at the calico-3.1 repository, packages installed at 3.1.0.</summary>
    public static Task<CalicoNode[]> BuildCentosAsync(string state, DnfRepoFixture repo, Uri coordinator) =>
        Task.WhenAll(Shape.Select(s => Task.Run(() =>
        {
            var parent = Directory.CreateDirectory(Path.Combine(state, "nodes", s.Name)).FullName;
            var root = Directory.CreateDirectory(Path.Combine(parent, "dnfroot")).FullName;
            Write(Path.Combine(root, "etc/yum.repos.d/calico.repo"),
                $"[calico]\nname=Calico stand-in\nbaseurl=file://{repo.SeriesRepo("3.1")}\nenabled=1\ngpgcheck=0\n");
            DnfRepoFixture.Install(root, null, s.Role == "control" ? CalicoPackages.CentosControl : CalicoPackages.CentosCompute);

            // agent.yaml has tool paths but no package-root options: wrappers bind dnf and rpm to this installroot. The
            // runbook's `manager: yum` steps run the dnf backend because the dnf tool path exists (an EL 8+ node).
            var dnf = Path.Combine(parent, "bin/dnf");
            var rpm = Path.Combine(parent, "bin/rpm");
            Sh.WriteScript(dnf, $"exec /usr/bin/dnf --installroot='{root}' --releasever=7 \"$@\"\n");
            Sh.WriteScript(rpm, $"exec /usr/bin/rpm --root='{root}' \"$@\"\n");
            var node = new CalicoNode(s.Name, s.Role, root, Path.Combine(parent, "agent.yaml"), new Dictionary<string, string>());
            return LayOut(node, coordinator, [("dnf", dnf), ("rpm", rpm)]);
        })));

    private static CalicoNode LayOut(CalicoNode node, Uri coordinator, IEnumerable<(string Tool, string Path)> tools)
    {
        Write(node.HostPath(StandInContract.UnitFile(node.Unit)), $"[Service]\nExecStart=/usr/bin/{node.Unit}\n");
        Write(node.HostPath(StandInContract.UnitStateFile(node.Unit)), "active running\n");
        Directory.CreateDirectory(node.HostPath(StandInContract.QuarantinePath));
        Directory.CreateDirectory(node.HostPath("/usr/local/bin"));
        if (node.IsControl)
        {
            Write(node.HostPath(CalicoctlArtifact), CalicoPackages.Calicoctl);
        }
        else
        {
            Write(node.HostPath("/etc/calico/felix.cfg"), CalicoPackages.FelixConfig);
        }

        File.WriteAllText(node.ConfigPath, CalicoAgentConfig.Sandbox(node, coordinator, tools));
        return node;
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
