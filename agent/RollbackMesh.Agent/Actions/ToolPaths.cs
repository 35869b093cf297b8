namespace RollbackMesh.Agent.Actions;

/// <summary>
/// Where the allow-listed tools live. Tests point these at stand-ins or isolated roots; there is no way for a
/// step to name an executable itself.
/// </summary>
internal sealed record ToolPaths
{
    /// <summary>The k3s binary. Default /usr/local/bin/k3s.</summary>
    public string K3s { get; init; } = "/usr/local/bin/k3s";

    /// <summary>The default killall script. Default /usr/local/bin/k3s-killall.sh.</summary>
    public string K3sKillAll { get; init; } = "/usr/local/bin/k3s-killall.sh";

    /// <summary>kubectl. Default /usr/local/bin/kubectl.</summary>
    public string Kubectl { get; init; } = "/usr/local/bin/kubectl";

    /// <summary>helm. Default /usr/local/bin/helm.</summary>
    public string Helm { get; init; } = "/usr/local/bin/helm";

    /// <summary>etcdctl (v3 API). Default /usr/bin/etcdctl.</summary>
    public string Etcdctl { get; init; } = "/usr/bin/etcdctl";

    /// <summary>calico-upgrade. Default /usr/local/bin/calico-upgrade.</summary>
    public string CalicoUpgrade { get; init; } = "/usr/local/bin/calico-upgrade";

    /// <summary>pg_restore. Default /usr/bin/pg_restore.</summary>
    public string PgRestore { get; init; } = "/usr/bin/pg_restore";

    /// <summary>pg_dump (the live database is dumped before pg_restore --clean). Default /usr/bin/pg_dump.</summary>
    public string PgDump { get; init; } = "/usr/bin/pg_dump";

    /// <summary>psql (the restored database is checked). Default /usr/bin/psql.</summary>
    public string Psql { get; init; } = "/usr/bin/psql";

    /// <summary>sqlite3 (for PRAGMA integrity_check). Default /usr/bin/sqlite3.</summary>
    public string Sqlite3 { get; init; } = "/usr/bin/sqlite3";

    /// <summary>The shell used to run vendor scripts (install.sh, k3s-killall.sh, rancher-cleanup). Default /bin/sh.</summary>
    public string Shell { get; init; } = "/bin/sh";

    /// <summary>bash, for scripts that need it (rancher-cleanup). Default /bin/bash.</summary>
    public string Bash { get; init; } = "/bin/bash";

    /// <summary>
    /// The tools a version check may run, by name (k3s, calico-felix, calicoctl, kubectl, helm). Default: the
    /// usual locations.
    /// </summary>
    public IReadOnlyDictionary<string, string> VersionTools { get; init; } = new Dictionary<string, string>
    {
        ["k3s"] = "/usr/local/bin/k3s",
        ["calico-felix"] = "/usr/bin/calico-felix",
        ["calicoctl"] = "/usr/local/bin/calicoctl",
        ["kubectl"] = "/usr/local/bin/kubectl",
        ["helm"] = "/usr/local/bin/helm",
    };
}
