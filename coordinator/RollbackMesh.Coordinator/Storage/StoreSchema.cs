namespace RollbackMesh.Coordinator.Storage;

/// <summary>
/// The store's tables. Times are Unix milliseconds (UTC). <see cref="Sql"/> creates the first version's tables;
/// <see cref="Migrations"/> then bring any file, new or made by an older coordinator, to the current version
/// (<c>PRAGMA user_version</c> counts the migrations applied).
/// </summary>
internal static class StoreSchema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS nodes (
            name TEXT PRIMARY KEY,
            identity TEXT NOT NULL,
            last_seen INTEGER);
        CREATE TABLE IF NOT EXISTS runs (
            run_id TEXT PRIMARY KEY,
            runbook TEXT NOT NULL,
            plan_hash TEXT NOT NULL,
            plan TEXT NOT NULL,
            state INTEGER NOT NULL,
            current_phase TEXT NOT NULL,
            message TEXT NOT NULL,
            started_by TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            awaiting_approval TEXT NOT NULL,
            preflight_passed INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS steps (
            run_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            node TEXT NOT NULL,
            phase TEXT NOT NULL,
            name TEXT NOT NULL,
            state INTEGER NOT NULL,
            summary TEXT NOT NULL,
            error TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            approved INTEGER NOT NULL,
            dispatch_count INTEGER NOT NULL,
            PRIMARY KEY (run_id, step_id));
        CREATE TABLE IF NOT EXISTS audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            who TEXT NOT NULL,
            what TEXT NOT NULL,
            run_id TEXT NOT NULL,
            detail TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS audit_run ON audit (run_id, id);
        """;

    /// <summary>In order; entry i takes a file from version i to i + 1. Never edit one that has shipped: append.</summary>
    public static readonly IReadOnlyList<string> Migrations =
    [
        // 1: a retry gives a run's failed steps a new attempt (issue 12 item 7); every existing step and run is attempt 1.
        """
        ALTER TABLE steps ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
        """,
        // 2: a node's cluster (issue 14 item 1), its own column so plans can select a cluster's nodes; nodes stored before
        // have none ('') until their next Hello names it.
        """
        ALTER TABLE nodes ADD COLUMN cluster TEXT NOT NULL DEFAULT '';
        CREATE INDEX IF NOT EXISTS nodes_cluster ON nodes (cluster, name);
        """,
        // 3: the cluster a run's plan covers (issue 14 item 2), so one cluster's unfinished run is found without reading
        // plans (the cluster lock) and runs list by cluster; runs stored before cover the whole fleet and have none ('').
        """
        ALTER TABLE runs ADD COLUMN cluster TEXT NOT NULL DEFAULT '';
        CREATE INDEX IF NOT EXISTS runs_cluster_state ON runs (cluster, state);
        """,
    ];
}
