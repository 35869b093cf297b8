namespace RollbackMesh.Coordinator.Storage;

/// <summary>The store's tables. Times are Unix milliseconds (UTC).</summary>
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
}
