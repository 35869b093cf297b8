namespace RollbackMesh.Demo;

/// <summary>A built sandbox fleet: where it lives, its nodes, and the runbook parameters that fit it.</summary>
/// <param name="StateDirectory">The state directory holding every sandbox, the coordinator's data and the logs.</param>
/// <param name="Nodes">The nodes, first server first, then other servers, then agents.</param>
/// <param name="SnapshotNodePath">The etcd snapshot on the first server, as a node path.</param>
internal sealed record SandboxFleet(string StateDirectory, IReadOnlyList<SandboxNode> Nodes, string SnapshotNodePath)
{
    /// <summary>True when the snapshot and its restores use the real etcd; false when etcd is not installed and stand-ins do.</summary>
    public bool RealEtcd { get; init; } = true;

    /// <summary>Where process logs go.</summary>
    public string LogDirectory => Path.Combine(StateDirectory, "logs");

    /// <summary>The coordinator's --data directory (its embedded SQLite store).</summary>
    public string CoordinatorDataDirectory => Path.Combine(StateDirectory, "coordinator");

    /// <summary>The parameters of the k3s-rollback-embedded-etcd runbook for this fleet (defaults for the rest).</summary>
    public Dictionary<string, string> K3sRollbackParameters => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["k3s_version"] = K3sRelease.Previous.Version,
        ["snapshot_path"] = SnapshotNodePath,
    };

    /// <summary>The first server (of the first cluster).</summary>
    public SandboxNode FirstServer => Nodes.First(n => n.IsFirstServer);

    /// <summary>The clusters, in the order they were built.</summary>
    public IReadOnlyList<string> Clusters => [.. Nodes.Select(n => n.Cluster).Distinct(StringComparer.Ordinal)];
}
