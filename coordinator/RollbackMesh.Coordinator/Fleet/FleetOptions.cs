namespace RollbackMesh.Coordinator.Fleet;

/// <summary>Options of the fleet registry.</summary>
internal sealed class FleetOptions
{
    /// <summary>How often agents report health (sent to them in HelloAck). Default 10 s.</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A node is stale once this many reports in a row are missing, a report counting as missing half an interval after
    /// it was due (grace for a late sender). Default 2: 25 s with the 10 s interval, so a silent node is noticed within
    /// 30 s of its last report even when someone asks only every few seconds.
    /// </summary>
    public int MissedReportsBeforeStale { get; set; } = 2;

    /// <summary>
    /// A node silent for this long is stale (shown unreachable). Default null: <see cref="MissedReportsBeforeStale"/>
    /// intervals and a half. Set from nodeTimeout in coordinator.yaml.
    /// </summary>
    public TimeSpan? NodeTimeout { get; set; }

    /// <summary>How long a node may be silent before it is stale.</summary>
    public TimeSpan StaleAfter => NodeTimeout ?? (HealthInterval * MissedReportsBeforeStale) + (HealthInterval / 2);

    /// <summary>
    /// A node's last seen is written to the store at most this often (health reports update it in memory every
    /// time). Default 60 s.
    /// </summary>
    public TimeSpan LastSeenPersistInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Health changes kept per node (a report whose state equals the previous one is not kept), newest last. Default 100.</summary>
    public int HealthHistoryLength { get; set; } = 100;

    /// <summary>Reported to agents in HelloAck. Default the assembly version.</summary>
    public string CoordinatorVersion { get; set; } =
        typeof(FleetOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
