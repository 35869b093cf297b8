using RollbackMesh.Agent.Actions.Packages;

namespace RollbackMesh.Agent.Actions;

/// <summary>Configuration of the agent's actions (bound from the agent's config file).</summary>
internal sealed record AgentActionOptions
{
    /// <summary>
    /// Roots every path argument must lie under after symlink resolution. Default: /etc/calico, /etc/yum.repos.d,
    /// /etc/apt/sources.list.d, /var/lib/rancher, /var/lib/rollbackmesh-agent, /usr/local/bin.
    /// </summary>
    public IReadOnlyList<string> AllowedRoots { get; init; } =
    [
        "/etc/calico", "/etc/yum.repos.d", "/etc/apt/sources.list.d", "/var/lib/rancher", "/var/lib/rollbackmesh-agent",
        "/usr/local/bin", "/etc/rancher",
    ];

    /// <summary>Where moved-aside files and directories go. Default /var/lib/rollbackmesh-agent/quarantine.</summary>
    public string QuarantineDirectory { get; init; } = "/var/lib/rollbackmesh-agent/quarantine";

    /// <summary>Where edited files are backed up first. Default /var/lib/rollbackmesh-agent/backup.</summary>
    public string BackupDirectory { get; init; } = "/var/lib/rollbackmesh-agent/backup";

    /// <summary>Scratch space for trial restores. Default /var/lib/rollbackmesh-agent/tmp.</summary>
    public string ScratchDirectory { get; init; } = "/var/lib/rollbackmesh-agent/tmp";

    /// <summary>The K3s server db directory moved aside before a cluster reset. Default /var/lib/rancher/k3s/server/db.</summary>
    public string K3sDbDirectory { get; init; } = "/var/lib/rancher/k3s/server/db";

    /// <summary>The node's own kubeconfig used when a step names none. Default /etc/rancher/k3s/k3s.yaml.</summary>
    public string DefaultKubeconfig { get; init; } = "/etc/rancher/k3s/k3s.yaml";

    /// <summary>Tool locations.</summary>
    public ToolPaths Tools { get; init; } = new();

    /// <summary>Package manager locations and roots.</summary>
    public PackageManagerOptions Packages { get; init; } = new();

    /// <summary>How long a systemd job may take when the step has no deadline (with one, the deadline is the limit). Default 90 s.</summary>
    public TimeSpan ServiceJobTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How often waits poll (pod replacement, node Ready). Default 2 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}
