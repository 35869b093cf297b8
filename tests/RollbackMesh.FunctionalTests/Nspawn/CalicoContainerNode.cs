using RollbackMesh.FunctionalTests.Calico;

namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>
/// Turns a testbed container into an OpenStack node for the Calico downgrade: the stand-in Calico apt repository
/// copied in (3.1 and 2.6 lists in sources.list.d, the Debian mirror lists set aside: the container has no
/// internet), the node's packages installed at 3.1.0, a real unit (neutron-server or calico-felix, /bin/sleep
/// infinity) started, felix.cfg on compute nodes, the calicoctl artifact on control nodes, and the agent's
/// agent.yaml (insecure, to the coordinator on the host side of the veth) with the packaged unit started.
/// </summary>
internal sealed record CalicoContainerNode(string Name, string Role, NspawnContainer Container)
{
    /// <summary>Where the repository lives inside the container.</summary>
    public const string RepoDirectory = "/srv/calico-repo";

    /// <summary>The calicoctl artifact (node path) the runbook installs on control nodes.</summary>
    public const string CalicoctlArtifact = "/var/lib/rollbackmesh-agent/artifacts/calicoctl";

    /// <summary>The agent's step journal inside the container.</summary>
    public const string JournalPath = "/var/lib/rollbackmesh-agent/journal.db";

    public bool IsControl => Role == "control";

    public string Unit => (IsControl ? "neutron-server" : "calico-felix") + ".service";

    public string[] Packages => IsControl ? CalicoPackages.UbuntuControl : CalicoPackages.UbuntuCompute;

    /// <summary>Prepares the node and starts its agent.</summary>
    public async Task PrepareAsync(string hostRepo, int coordinatorPort)
    {
        await Container.CopyDirectoryInAsync(hostRepo, RepoDirectory);
        await Container.WriteFileAsync("/etc/apt/" + CalicoPackages.Apt31List, $"deb [trusted=yes] file:{RepoDirectory}/3.1 ./\n");
        await Container.WriteFileAsync("/etc/apt/" + CalicoPackages.Apt26List, $"deb [trusted=yes] file:{RepoDirectory}/2.6 ./\n");
        var install = string.Join(' ', Packages.Select(p => p + "=3.1.0"));
        (await Container.ShellAsync(
            "set -e; mkdir -p /var/tmp/apt-mirror-lists; "
            + "for f in /etc/apt/sources.list /etc/apt/sources.list.d/debian.sources; do [ -e \"$f\" ] && mv \"$f\" /var/tmp/apt-mirror-lists/ || true; done; "
            + $"apt-get update -q && apt-get install -y -q {install}",
            TimeSpan.FromMinutes(3))).EnsureSuccess();

        await Container.WriteFileAsync($"/etc/systemd/system/{Unit}",
            $"[Unit]\nDescription=stand-in {Unit} (a real unit; the program is a sleep)\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n");
        (await Container.SystemctlAsync("daemon-reload")).EnsureSuccess();
        (await Container.SystemctlAsync("start", Unit)).EnsureSuccess();
        if (IsControl)
        {
            await Container.WriteFileAsync(CalicoctlArtifact, CalicoPackages.Calicoctl, "0755");
        }
        else
        {
            await Container.WriteFileAsync("/etc/calico/felix.cfg", CalicoPackages.FelixConfig);
        }

        await Container.WriteFileAsync("/etc/rollbackmesh/agent.yaml", $"""
            nodeName: {Name}
            roles: [{Role}]
            cluster: test
            coordinator:
              address: http://{Container.HostAddress}:{coordinatorPort}
              insecure: true
            allowedRoots: [/etc/calico, /etc/apt/sources.list.d, /usr/local/bin, /var/lib/rollbackmesh, /var/lib/rollbackmesh-agent]
            watchedUnits: [{Unit}]
            dataDirectories: [/]
            journalPath: {JournalPath}
            quarantinePath: /var/lib/rollbackmesh-agent/quarantine
            healthInterval: 1s

            """, "0600");
        await Container.SystemctlAsync("reset-failed", NspawnTestbed.AgentUnit);
        (await Container.SystemctlAsync("restart", NspawnTestbed.AgentUnit)).EnsureSuccess();
    }

    /// <summary>The installed versions of the node's packages, "name version" per line.</summary>
    public async Task<string> InstalledAsync() =>
        (await Container.ExecAsync(["dpkg-query", "-W", "-f=${Package} ${Version}\n", .. Packages], null, null)).EnsureSuccess().StandardOutput;

    /// <summary>The agent's log lines (journald, message text only).</summary>
    public async Task<string[]> AgentLogAsync() =>
        (await Container.ExecAsync("journalctl", "-u", NspawnTestbed.AgentUnit, "--no-pager", "-o", "cat")).EnsureSuccess()
            .StandardOutput.Split('\n');

    /// <summary>Copies the agent's journal database out (after the agent is stopped) via the container's root as the host sees it.</summary>
    public string CopyJournalOut(string hostDirectory)
    {
        var target = Path.Combine(hostDirectory, Name + ".journal.db");
        var source = $"/proc/{Container.LeaderPid}/root{JournalPath}";
        File.Copy(source, target, overwrite: true);
        if (File.Exists(source + "-wal"))
        {
            File.Copy(source + "-wal", target + "-wal", overwrite: true);
        }

        return target;
    }
}
