using RollbackMesh.Agent.Sqlite;

namespace RollbackMesh.Agent.Journal;

/// <summary>
/// The agent's durable step journal: SQLite in WAL mode with synchronous=FULL, so a row is on disk when a
/// call returns. A step is written as "started" before it runs and updated with its outcome after, which is
/// what lets a resent step return its recorded outcome instead of running twice.
/// </summary>
internal sealed partial class StepJournal : IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly Lock _gate = new();

    /// <summary>Opens (creating if needed) the journal database at <paramref name="path"/>.</summary>
    public StepJournal(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _database = SqliteDatabase.OpenOrCreate(path);
        try
        {
            _database.Execute("PRAGMA journal_mode=WAL;");
            _database.Execute("PRAGMA synchronous=FULL;");
            _database.Execute("""
                CREATE TABLE IF NOT EXISTS steps (
                  run_id TEXT NOT NULL, step_id TEXT NOT NULL, action_kind TEXT NOT NULL,
                  status INTEGER NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER,
                  summary TEXT, error TEXT, dry_run TEXT, already_done INTEGER, verified INTEGER,
                  seq INTEGER NOT NULL,
                  PRIMARY KEY (run_id, step_id));
                CREATE INDEX IF NOT EXISTS steps_seq ON steps(seq);
                """);
        }
        catch
        {
            // A journal that cannot be set up (not a database, read-only) must not leave its connection open.
            _database.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Journals the step as started unless an entry for (run, step) exists; returns that existing entry,
    /// or null when this call created it (and the caller may run the step).
    /// </summary>
    public StepJournalEntry? TryBegin(string runId, string stepId, string actionKind, DateTimeOffset startedAt)
    {
        lock (_gate)
        {
            if (Get(runId, stepId) is { } existing)
            {
                return existing;
            }

            using var command = _database.Prepare("""
                INSERT INTO steps (run_id, step_id, action_kind, status, started_at, seq)
                VALUES ($run, $step, $kind, $status, $at, (SELECT COALESCE(MAX(seq), 0) + 1 FROM steps));
                """);
            command.Bind("$run", runId);
            command.Bind("$step", stepId);
            command.Bind("$kind", actionKind);
            command.Bind("$status", (int)StepStatus.Started);
            command.Bind("$at", startedAt.ToUnixTimeMilliseconds());
            command.Step();
            return null;
        }
    }

    /// <summary>Records the terminal outcome of a step journaled by <see cref="TryBegin"/>.</summary>
    public void Complete(string runId, string stepId, StepOutcome outcome)
    {
        lock (_gate)
        {
            using var command = _database.Prepare("""
                UPDATE steps SET status = $status, finished_at = $fin, summary = $sum, error = $err,
                  dry_run = $dry, already_done = $done, verified = $ver
                WHERE run_id = $run AND step_id = $step;
                """);
            command.Bind("$run", runId);
            command.Bind("$step", stepId);
            command.Bind("$status", (int)outcome.Status);
            command.Bind("$fin", outcome.FinishedAt.ToUnixTimeMilliseconds());
            command.Bind("$sum", outcome.Summary);
            command.Bind("$err", outcome.Error);
            command.Bind("$dry", outcome.DryRun);
            command.Bind("$done", outcome.AlreadyDone ? 1 : 0);
            command.Bind("$ver", outcome.Verified ? 1 : 0);
            command.Step();
            if (_database.Changes != 1)
            {
                throw new InvalidOperationException($"run {runId} step {stepId} was never journaled as started");
            }
        }
    }

    /// <summary>The entry for (run, step), or null.</summary>
    public StepJournalEntry? Get(string runId, string stepId)
    {
        lock (_gate)
        {
            return Query("WHERE run_id = $run AND step_id = $step", q =>
            {
                q.Bind("$run", runId);
                q.Bind("$step", stepId);
            }).FirstOrDefault();
        }
    }

    /// <summary>Every entry of a run in the order the steps were started.</summary>
    public IReadOnlyList<StepJournalEntry> ListRun(string runId)
    {
        lock (_gate)
        {
            return Query("WHERE run_id = $run ORDER BY seq", q => q.Bind("$run", runId));
        }
    }

    /// <summary>The most recent <paramref name="count"/> entries, newest first.</summary>
    public IReadOnlyList<StepJournalEntry> Recent(int count)
    {
        lock (_gate)
        {
            return Query("ORDER BY seq DESC LIMIT $n", q => q.Bind("$n", count));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();
}
