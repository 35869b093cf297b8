namespace RollbackMesh.Agent.Configuration;

/// <summary>
/// The agent's configuration: the "Agent" section, loaded from /etc/rollbackmesh/agent.yaml (camelCase keys)
/// and overridden by ROLLBACKMESH_AGENT__KEY environment variables (nested keys joined by "__").
/// Validated once at start by <see cref="AgentOptionsValidator"/>, which lists every problem.
/// </summary>
internal sealed class AgentOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Agent";

    /// <summary>The node's name as the coordinator knows it. Default: the host name.</summary>
    public string NodeName { get; set; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>Roles: server, first-server, agent, control, compute. Required, no default.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>
    /// The cluster this node belongs to (a K3s cluster, an OpenStack region), a DNS label. Required for every K3s and
    /// OpenStack role; the coordinator refuses a node that changes it without being removed first.
    /// </summary>
    public string Cluster { get; set; } = "";

    /// <summary>Free-form labels sent in Hello. Default: none.</summary>
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Where and how to reach the coordinator.</summary>
    public CoordinatorOptions Coordinator { get; set; } = new();

    /// <summary>Directories that actions may touch (after resolving symlinks). Default: none.</summary>
    public List<string> AllowedRoots { get; set; } = [];

    /// <summary>systemd units whose ActiveState/SubState go into health reports. Default: none.</summary>
    public List<string> WatchedUnits { get; set; } = [];

    /// <summary>Packages whose installed versions go into health reports. Default: none.</summary>
    public List<string> Packages { get; set; } = [];

    /// <summary>Directories whose free space goes into health reports. Default: the K3s data directory and the journal's directory.</summary>
    public List<string> DataDirectories { get; set; } = [];

    // The defaults live in the agent's own StateDirectory (rollbackmesh-agent in the packaged unit);
    // /var/lib/rollbackmesh is the coordinator's.

    /// <summary>The step journal (SQLite). Default: /var/lib/rollbackmesh-agent/journal.db.</summary>
    public string JournalPath { get; set; } = "/var/lib/rollbackmesh-agent/journal.db";

    /// <summary>Where "removed" directories are moved. Default: /var/lib/rollbackmesh-agent/quarantine.</summary>
    public string QuarantinePath { get; set; } = "/var/lib/rollbackmesh-agent/quarantine";

    /// <summary>Where files are copied before an action edits them. Default: /var/lib/rollbackmesh-agent/backup.</summary>
    public string BackupPath { get; set; } = "/var/lib/rollbackmesh-agent/backup";

    /// <summary>The root and configuration the package tools act on. Default: the system's own.</summary>
    public PackageManagerSettings PackageManager { get; set; } = new();

    /// <summary>Interval between health reports ("10s", "1m", "00:00:10"). Default: 10s.</summary>
    public string HealthInterval { get; set; } = "10s";

    /// <summary>K3s data directory, probed for the datastore kind. Default: /var/lib/rancher/k3s.</summary>
    public string K3sDataDir { get; set; } = "/var/lib/rancher/k3s";

    /// <summary>K3s config file, probed for datastore-endpoint. Default: /etc/rancher/k3s/config.yaml.</summary>
    public string K3sConfigFile { get; set; } = "/etc/rancher/k3s/config.yaml";

    /// <summary>K3s unit files, probed for --datastore-endpoint. Default: k3s.service and its env file.</summary>
    public List<string> K3sUnitFiles { get; set; } = [];

    /// <summary>D-Bus address of the system bus. Default: unix:path=/run/dbus/system_bus_socket.</summary>
    public string SystemBusAddress { get; set; } = "unix:path=/run/dbus/system_bus_socket";

    /// <summary>Absolute paths of the tools the agent runs, by name. Defaults: see <see cref="DefaultToolPaths"/>.</summary>
    public Dictionary<string, string> ToolPaths { get; set; } = new(DefaultToolPaths, StringComparer.Ordinal);

    /// <summary>Optional log file (in addition to the console). Default: none.</summary>
    public string? LogFile { get; set; }

    /// <summary>Minimum log level: Verbose, Debug, Information, Warning, Error, Fatal. Default: Information.</summary>
    public string LogLevel { get; set; } = "Information";

    /// <summary>The tool locations used when the configuration does not name them.</summary>
    public static IReadOnlyDictionary<string, string> DefaultToolPaths { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["k3s"] = "/usr/local/bin/k3s",
        ["k3s-killall"] = "/usr/local/bin/k3s-killall.sh",
        ["kubectl"] = "/usr/local/bin/kubectl",
        ["helm"] = "/usr/local/bin/helm",
        ["calico-felix"] = "/usr/bin/calico-felix",
        ["dpkg-query"] = "/usr/bin/dpkg-query",
        ["apt-get"] = "/usr/bin/apt-get",
        ["apt-cache"] = "/usr/bin/apt-cache",
        ["rpm"] = "/usr/bin/rpm",
        ["yum"] = "/usr/bin/yum",
        ["pg_restore"] = "/usr/bin/pg_restore",
        ["pg_dump"] = "/usr/bin/pg_dump",
        ["psql"] = "/usr/bin/psql",
        ["etcdctl"] = "/usr/bin/etcdctl",
        ["sqlite3"] = "/usr/bin/sqlite3",
    };

    /// <summary>The parsed <see cref="HealthInterval"/>; valid only after validation.</summary>
    public TimeSpan HealthIntervalValue => Durations.TryParse(HealthInterval, out var value) ? value : TimeSpan.FromSeconds(10);

    /// <summary>The data directories to report, with defaults applied.</summary>
    public IReadOnlyList<string> EffectiveDataDirectories =>
        // The quarantine is always reported: the coordinator's preflight checks its free space before a run.
        (DataDirectories.Count > 0 ? DataDirectories : [K3sDataDir, Path.GetDirectoryName(JournalPath) ?? "/"])
            .Append(QuarantinePath).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The K3s unit files to probe, with defaults applied.</summary>
    public IReadOnlyList<string> EffectiveK3sUnitFiles =>
        K3sUnitFiles.Count > 0 ? K3sUnitFiles : ["/etc/systemd/system/k3s.service", "/etc/systemd/system/k3s.service.env"];
}
